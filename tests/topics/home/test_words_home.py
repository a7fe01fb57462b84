"""Issue 20, the Home page: its numbers come from the figures and the cell they describe (docs/claims/lessons-c.md)."""
from __future__ import annotations

import numpy as np
import torch

from rnnviz import cells
from rnnviz.topics.home import figures as home
from rnnviz.topics.home import words


def test_the_sequences_summary_counts_what_is_drawn():
    fig = home.sequence_examples()
    text, series, audio, frames = fig.data
    assert len(text.x) == len(home.TEXT) == 13 and len(series.y) == home.SERIES == 120
    assert len(audio.y) == home.AUDIO == 240
    z = np.asarray(frames.z, dtype=float)
    boxes = [np.argwhere(z[:, 11 * k:11 * k + 10] == 1).mean(0) for k in range(home.FRAMES)]
    assert len(boxes) == 4 and z.shape[1] == 11 * home.FRAMES - 1
    rows, cols = np.array(boxes).T                       # a heatmap's row 0 is drawn at the bottom
    assert np.all(np.diff(rows) > 0) and np.all(np.diff(cols) > 0)   # up and to the right
    assert fig.layout.yaxis4.autorange != "reversed"
    said = home.sequence_summary()
    for part in ("13 characters of “order matters”", "120 readings", "240 samples", "4 video frames",
                 "up and to the right"):
        assert part in said


def test_the_unrolled_picture_has_as_many_copies_as_it_says():
    fig = home.unrolled(5)
    assert len(fig.layout.shapes) == 5 and sum("cell" in (a.text or "") for a in fig.layout.annotations) == 5


def test_the_parameter_count_and_its_two_biases():
    cell = cells.build("rnn", input_size=8, hidden_size=32)
    n = cell.n_parameters()
    assert n == 32 * (8 + 32 + 2) == 1344 == sum(p.numel() for p in torch.nn.RNN(8, 32).parameters())
    said = words.parameter_caption(5, 8, 32, n)
    assert "1,344 parameters: H·(I + H + 2) = 32·(8 + 32 + 2)" in said and "only their sum matters" in said
    net = torch.nn.RNN(3, 4).double()
    x = torch.randn(6, 2, 3, dtype=torch.float64)
    before = net(x)[0]
    with torch.no_grad():
        shift = torch.randn(4, dtype=torch.float64)
        net.bias_ih_l0 += shift
        net.bias_hh_l0 -= shift
    assert torch.allclose(net(x)[0], before, atol=1e-12)


def test_the_intro_states_the_tolerance_the_tests_hold():
    import ast
    import importlib.util
    import pathlib

    # tests/core/test_cells.py by its path: `import test_cells` found it only when tests/core was already on
    # sys.path (a run of the whole suite), and failed when this file ran alone
    spec = importlib.util.spec_from_file_location("_test_cells", pathlib.Path(__file__).parents[2] / "core" / "test_cells.py")
    test_cells = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(test_cells)

    assert test_cells.TOL[torch.float32] == dict(rtol=1e-5, atol=1e-5)
    home_words = pathlib.Path(__file__).resolve().parents[3] / "rnnviz" / "topics" / "home" / "words.py"
    said = " ".join(n.value for n in ast.walk(ast.parse(home_words.read_text())) if isinstance(n, ast.Constant)
                    and isinstance(n.value, str))
    assert "to the last digit" not in said and "your CPU" not in said
    assert "to 10⁻⁵ in the 32-bit floats" in said


def test_order_matters():
    a, b = words.ORDER_MATTERS
    assert a != b and sorted(a.split()) == sorted(b.split())     # the same bag of words



def test_the_sidebar_says_where_the_numbers_are_computed(apptest):
    """Served to a class, the numbers are computed on the server, not on the student's CPU."""
    at = apptest("app.py")
    said = " ".join(c.value for c in at.sidebar.caption)
    assert "on the computer that runs this app" in said and "your CPU" not in said
