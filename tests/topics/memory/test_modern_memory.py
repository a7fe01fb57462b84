"""The Memory lab's two linear recurrences (issue 23 item 3): minGRU and the selective SSM train in the lab's
own loop beside the classic three; their weight counts, their gradient probe (the recurrence run backwards,
against autograd), their toggles and preset on the page, and a short run of them through AppTest."""
from __future__ import annotations

import pytest
import torch
from common import widget

from kit.charts import charts
from rnnviz.topics.memory import compute as memory
from rnnviz.topics.memory import modern
from rnnviz.topics.memory import words as text
from rnnviz.topics.memory.compute import Config

PAGE = "pages/7_Memory_lab.py"


@pytest.mark.parametrize("task", ["adding", "copy"])
def test_weight_counts_are_the_models_and_far_below_the_gru(task):
    for kind in memory.MODERN:
        model = memory.make_model(Config(task=task, cells=(kind,)), kind)
        assert sum(p.numel() for p in model.parameters()) == memory.n_parameters(kind, task, 64)
        assert memory.n_parameters(kind, task, 64) < memory.n_parameters("gru", task, 64) / 5    # "far fewer"
    # with "Equal parameter counts" they keep their H (hidden_size's docstring says why)
    assert memory.hidden_size(Config(match=True, cells=memory.ALL_CELLS), "mingru") == 64


@pytest.mark.parametrize("task", ["adding", "copy"])
@pytest.mark.parametrize("kind", modern.MODERN)
def test_the_gradient_probe_equals_autograd_step_by_step(task, kind):
    """memory.hidden_grad_norms for a linear cell (ℓ_t from the read-out, then g_t = ℓ_t + a_{t+1} g_{t+1})
    = ‖∂L/∂h_t‖ from autograd with every state retained, in float64."""
    cfg = Config(task=task, T=6, cells=(kind,), hidden=5, seed=3)
    model = memory.make_model(cfg, kind)
    x, y = memory.batch(cfg, -1, 4)
    got = memory.hidden_grad_norms(model, task, x, y)
    m = model.double()
    a, b = m.rnn.coefficients(x.double())
    hs, h = [], torch.zeros_like(b[0])
    for t in range(a.shape[0]):
        h = a[t] * h + b[t]
        h.retain_grad()
        hs.append(h)
    out = m.head(torch.stack(hs) if m.every_step else hs[-1])
    memory.loss_of(task, out, y if y.dtype == torch.long else y.double()).backward()
    want = [hh.grad.norm().item() for hh in hs]
    assert got == pytest.approx(want, rel=1e-9)


def test_a_linear_cell_trains_in_the_lab_loop_seeded():
    cfg = Config(T=8, steps=30, hidden=8, batch=16, cells=memory.MODERN)
    for kind in memory.MODERN:
        a, b = memory.train_cell(cfg, kind), memory.train_cell(cfg, kind)
        assert a.steps == 30 and a.loss == b.loss and len(a.probe) == 3          # the same run, probed
        assert a.loss[-1] < a.loss[0]                                             # it learns something
        assert memory.verdict(a).startswith(memory.label(kind))


def test_the_page_offers_them_and_trains_them_for_a_few_steps(apptest):
    at = apptest(PAGE)
    assert widget(at, "mingru").value is False and widget(at, "selective").value is False   # off by default
    assert "minGRU" not in at.caption[0].value
    next(b for b in at.button if b.label.startswith("Today's linear RNNs")).click().run()
    assert widget(at, "mingru").value and widget(at, "selective").value and widget(at, "lstm").value
    assert "minGRU: 64 units, 449 weights · Selective SSM: 64 units, 513 weights" in at.caption[0].value
    for k in memory.CELLS:                                       # only the two new ones, a few steps
        widget(at, k).set_value(False).run()
    widget(at, "steps").set_value(100).run()
    at.slider(key="T").set_value(6).run()
    next(b for b in at.button if b.label == "Train").click().run()
    run = at.session_state["memory_run"]
    assert set(run.progress) == set(memory.MODERN)
    assert run.job.join(300)
    at.run()
    assert not at.exception
    names = {t.get("name") for t in charts(at)["loss"]["data"]}
    assert {"minGRU", "Selective SSM"} <= names
    for kind, p in run.snapshot().items():                     # the same numbers as the core trains alone
        assert p.loss == memory.train_cell(run.config, kind).loss
    first = memory.first_solver(run.snapshot())
    at.radio(key="predict_guess").set_value("the minGRU").run()
    at.button(key="predict_reveal").click().run()
    shown = " ".join([m.value for m in at.success] + [m.value for m in at.info])
    assert ("**Right.**" in shown) == (first == "mingru")
    assert text.ANSWERS[memory.ALL_CELLS.index("selective")] == "the selective SSM"
