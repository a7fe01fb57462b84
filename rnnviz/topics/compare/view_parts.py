"""The GRU-vs-LSTM page's parts, each a block of st.* calls the page places:

    loaded, broken, metas = load_models()   # each model on its own: one broken file spoils only its half
    window_view(...)                        # a fragment (view.py): the window's start and the gate heatmaps side
                                            # by side (the main view); below, the parts that follow the window:
      gates_more(shown, pair)               #   the gates' means along the text and by character class
      states_section(shown)                 #   the GRU's merged state against the LSTM's c and h
      surprise_section(shown, duel)         #   who is less surprised, where
    cards_section(shown)                    # name, size, validation and this text's bits per character
    equations_section()                     # the two cells, from the code
    parameters_section(loaded)              # parameters per gate block, counted and checked
    validation_section(metas)               # held-out bits per character against the baselines

Only the main view is drawn at first; every other part sits in a lazy expander (ui.stage.deeper) and costs
nothing until a student opens it. Moving the window's start reruns the fragment alone: the text, the cards and
the question are not re-sent (while a part that follows the window is open, the page reruns whole). `shown` (a Shown) carries the readings and the window of characters the
heatmaps draw. The words are in rnnviz.topics.compare.words, the numbers in rnnviz.topics.compare.compute
and charlm.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from rnnviz import pretrained
from rnnviz.shared import charlm
from rnnviz.shared.style import COLOR, NAME
from rnnviz.topics.compare import compute as compare
from rnnviz.topics.compare import figures as figs
from rnnviz.topics.compare import words as text
from rnnviz.ui import cache
from rnnviz.ui.export import chart
from rnnviz.ui.markup import escape_markdown

LOAD_ERRORS = (FileNotFoundError, KeyError, pretrained.IntegrityError, ValueError, RuntimeError, OSError)


@dataclass(frozen=True)
class Shown:
    readings: dict          # kind → charlm.Reading of the text (only the models that loaded)
    broken: dict            # kind → why its weights did not load
    text: str
    lo: int                 # the heatmaps' window of characters [lo, hi)
    hi: int
    units: int              # how many units each heatmap shows ...
    order: str              # ... in which order


def load_models() -> tuple[dict, dict, dict]:
    """({kind: (model, cell, meta)}, {kind: error message}, {kind: manifest entry}) for both models."""
    loaded, broken, metas = {}, {}, {}
    for kind, name in text.MODELS.items():
        try:
            metas[kind] = pretrained.meta(name)
            loaded[kind] = cache.char_model(name)
        except LOAD_ERRORS as e:
            broken[kind] = e.args[0] if isinstance(e, KeyError) and e.args else str(e)
    return loaded, broken, metas


def cards_section(readings: dict, broken: dict, loaded: dict) -> None:
    """A card per model: its size, its validation bpc and its bpc on this text (or why its half is missing)."""
    for kind, col in zip(compare.KINDS, st.columns(2)):
        box = col.container(border=True)
        box.markdown(f'<span style="color:{COLOR[kind]};font-weight:700;font-size:1.25rem">{NAME[kind]}</span>',
                     unsafe_allow_html=True)
        if kind in broken:
            continue                                    # its error is said at the top of the page
        model, meta = loaded[kind][0], loaded[kind][2]
        box.markdown(f"{model.hidden_size} hidden units · {model.count_parameters():,} parameters")
        m = box.columns(2)
        m[0].metric("validation bpc", f"{meta['metrics']['val_bpc']:.3f}", help="Bits per character on held-out "
                    f"Hamlet and Macbeth ({text.count(meta['data']['validation']):,} characters): lower means "
                    "better predictions.")
        bpc = readings[kind].bpc if kind in readings else float("nan")
        m[1].metric("bpc on this text", "–" if bpc != bpc else f"{bpc:.3f}",
                    help="The mean surprise, in bits, at each character of the text after the first.")
    if loaded:
        st.caption(charlm.bpc_definition(next(iter(loaded.values()))[0].vocab_size))


def broken_section(broken: dict) -> None:
    """Why a model's half of the page is unavailable, and the command that rebuilds it (said at the top)."""
    for kind in compare.KINDS:
        if kind in broken:
            parts = broken[kind].split("`")                        # literal text; the rebuild command stays code
            st.error(f"The {NAME[kind]} half of this page is unavailable. " + "`".join(
                part if n % 2 else escape_markdown(part) for n, part in enumerate(parts)), icon=":material/block:")


def equations_section() -> None:
    for kind, col in zip(compare.KINDS, st.columns(2)):
        col.latex(figs.equations_latex(kind))
        col.caption(figs.equation_roles(kind))
    st.caption(text.READOUT)
    st.caption(text.GRU_CONVENTION)


def _shown_bound(shown: Shown, kind: str, quantity: str) -> float:
    """The largest |value| among the characters and units `heatmap` draws for this quantity."""
    q = compare.quantity(shown.readings[kind], quantity)
    return float(np.abs(q[shown.lo:shown.hi][:, compare.pick_units(q, shown.units, shown.order)]).max())


def heatmap(shown: Shown, kind: str, quantity: str, where, key: str, scale: bool = True) -> None:
    """One model's heatmap of the window (or why it is missing), the characters read in a row of HTML right
    under its columns (figures.char_row: plotly draws the cells alone); scale=False: without its colour bar."""
    if kind not in shown.readings:
        where.info(f"No {NAME[kind]} reading: " + ("its weights did not load (see above)." if kind in shown.broken
                                                    else "there is no text."), icon=":material/info:")
        return
    q = compare.quantity(shown.readings[kind], quantity)
    units = compare.pick_units(q, shown.units, shown.order)
    chart(where, figs.heatmap(q, shown.text, quantity, shown.lo, shown.hi, units,
                              f"{NAME[kind]}: {figs.label(quantity)}", scale=scale), key=key,
          under=figs.char_row(shown.text, shown.lo, shown.hi, key=key))    # the characters read, as HTML


def gates_view(shown: Shown, pair: compare.Pair, where) -> None:
    """The main view's chart: the pair of gates side by side over the window (what they mean: pair_note)."""
    # keyed stage_…: the pair stacks below ui.stage.STACK_BELOW_PX, like the main view's columns
    # Both of a pair share one scale (two gates, 0 … 1; two candidates, −1 … 1): the colour bar is drawn once,
    # at the right (the GRU's left out while the LSTM's is drawn): one less to lay out at each move.
    both = all(k in shown.readings for k in compare.KINDS)
    for kind, col in zip(compare.KINDS, where.container(key="stage_gates").columns(2, gap="small")):
        heatmap(shown, kind, getattr(pair, kind), col, f"gate_{kind}", scale=not (both and kind == "gru"))


def pair_note(pair: compare.Pair, readings: dict, where) -> None:
    """What the pair of gates means (and, for the write gates, the LSTM's keep-and-write share): outside the
    window's fragment, since it follows the pair alone (its formulas are typeset anew at every redraw)."""
    where.caption(f"**{pair.title}.** {pair.note}")
    if pair is compare.PAIRS["write"] and "lstm" in readings:
        where.caption(text.keep_and_write(compare.keep_and_write(readings["lstm"])))


def gates_more(shown: Shown, pair: compare.Pair) -> None:
    """The same gates averaged over all units along the whole text, and by kind of character."""
    readings = shown.readings
    if not readings:
        return
    quantities = {k: getattr(pair, k) for k in readings}
    means = {k: compare.quantity(r, quantities[k]).mean(1) for k, r in readings.items()}
    chart(st, figs.gate_means(shown.text, means, quantities, shown.lo, shown.hi), key="gate_means",
          summary=text.gate_means_said(means, {k: figs.label(q) for k, q in quantities.items()}))
    chart(st, figs.class_bars({k: compare.by_class(r, figs.CLASS_GATES[k]) for k, r in readings.items()}),
          key="class_bars")
    st.caption(text.COLOURS)


def states_section(shown: Shown) -> None:
    st.markdown(text.STATES_LEAD)
    left, right = st.columns(2)
    heatmap(shown, "gru", "hidden", left, "state_gru_h")
    left.markdown(text.states_note(_shown_bound(shown, "lstm", "cell state") if "lstm" in shown.readings else None))
    heatmap(shown, "lstm", "cell state", right, "state_lstm_c")
    heatmap(shown, "lstm", "hidden", right, "state_lstm_h")
    if "lstm" in shown.readings:
        r = compare.state_ranges(shown.readings["lstm"])
        right.caption(f"LSTM: largest |c| = {r['c_max']:.2f} ({r['c_beyond_1']:.0%} of the values beyond ±1); "
                      f"largest |h| = {r['h_max']:.2f}.")


def surprise_section(shown: Shown, duel) -> None:
    if shown.readings and len(shown.text) > 1:
        chart(st, figs.surprisal(shown.text, {k: r.surprisal for k, r in shown.readings.items()},
                                 shown.lo, shown.hi, duel), key="surprisal")
    if duel is not None and len(shown.text) > 1:
        st.markdown(f"The GRU was less surprised at **{duel.gru_wins}** characters, the LSTM at "
                    f"**{duel.lstm_wins}**; {duel.ties} were within {duel.tie} bits. Where each won by most:")
        for kind, col in zip(compare.KINDS, st.columns(2)):
            col.dataframe(figs.biggest_table(duel, kind), hide_index=True, width="stretch")
    elif not shown.readings or len(shown.text) < 2:
        st.info("No surprise to show: the models need a text of at least two characters.", icon=":material/info:")


def parameters_section(loaded: dict) -> None:
    st.markdown(text.PARAMETERS_LEAD)
    st.caption(text.TWO_BIASES)
    tables = {k: charlm.parameter_table(loaded[k][0]) for k in compare.KINDS if k in loaded}
    number = st.column_config.NumberColumn(format="localized")
    for kind, col in zip(compare.KINDS, st.columns(2)):
        if kind not in tables:
            continue
        model = loaded[kind][0]
        col.markdown(f"**{NAME[kind]}**, $H$ = {model.hidden_size}, $V$ = {model.vocab_size}:")
        col.latex(compare.parameter_latex(kind, model.hidden_size, model.vocab_size))
        rows = figs.parameter_rows(tables[kind])
        col.dataframe(rows, hide_index=True, width="stretch",
                      column_config={k: number for k in rows[0] if k != "block"})
        col.caption(f"The rows add up to {sum(r['total'] for r in tables[kind]):,}: exactly what PyTorch "
                    f"counts in the loaded model ({model.count_parameters():,}).")
    if tables:
        chart(st, figs.parameters(tables), key="parameters")
        if len(loaded) == 2:
            st.caption(text.budget_note(next(iter(loaded.values()))[0].vocab_size,
                                        {k: m.hidden_size for k, (m, _, _) in loaded.items()}))


def validation_section(metas: dict) -> None:
    if metas:
        chart(st, figs.validation({k: metas[k]["metrics"] for k in compare.KINDS if k in metas}),
              key="validation")
        st.caption(text.validation_note(next(iter(metas.values()))))
        if set(metas) == set(compare.KINDS):
            st.markdown(text.one_run(metas))


def freeze_truth(loaded: dict, chars: str, lo: int, hi: int) -> tuple[int, str]:
    """The question's answer, measured: read the text again with both memories frozen on [lo, hi)."""
    moved = {kind: compare.drift(charlm.read(model, chars, cell, compare.freeze_clamps(
        kind, model.hidden_size, lo, hi)), lo, hi) for kind, (model, cell, _) in loaded.items()}
    return text.reveal(moved, compare.FROZEN)
