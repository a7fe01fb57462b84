"""The five forms of a recurrent network, as data: what each reads, what it writes, where its loss sits,
what it is used for, and which demo runs it.

    f = FORMS["many-to-one"]
    n_in, n_out = lengths("many-to-one", 8, 3)     # (8, 1): the form fixes what it must
    lay = layout("many-to-one", 8, 1)              # Layout: per step, reads / writes / loss / fed back
    lay.input_steps, lay.loss_steps                # (1, …, 8), (8,)
    lay.hops(8, 1)                                 # 7: the W_hh products between h_8 and h_1

The diagram (rnnviz.topics.architectures.figures.unrolled) draws a Layout, and the tests hold every Layout to
the rules below, so the picture cannot drift from what the page says. Steps are columns, numbered
1..n_steps from the left; inputs, outputs and losses are numbered in their own order (x_1, y_1, L_1).

Nothing here imports streamlit: a demo is given as a page path, and the page links it only when that
page exists (ui.LESSONS).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from rnnviz import cells, stack

MAX_LAYERS = cells.MAX_LAYERS    # the depth slider's end: a stack of 1–4 layers
EXAMPLE = dict(I=32, H=64)       # the sizes the parameter counts are given for (an input of 32 numbers, 64 units)
ORDER = ("one-to-one", "one-to-many", "many-to-one", "many-to-many", "encoder-decoder")


@dataclass(frozen=True)
class Demo:
    title: str                      # the link's label
    path: str                       # the page file (linked only when it exists)
    query: dict = field(default_factory=dict)   # a ready input, as the page's URL parameters
    coming: bool = False            # planned for the next issue (said so when the page does not exist yet)


@dataclass(frozen=True)
class Form:
    key: str                        # the option in the URL
    name: str                       # as the page names it
    rule: str                       # the length rule, in words
    description: str                # one line
    loss: str                       # where the loss sits, in words
    applications: tuple[tuple[str, str], ...]     # (application, one sentence)
    demos: tuple[Demo, ...]
    fixed: tuple[str, ...]          # the lengths this form decides itself ("n_in", "n_out")


SENTIMENT = Demo("Sentiment", "pages/8_Sentiment.py",
                 {"text": "The first hour drags, but the ending is wonderful."})
SURNAME = Demo("Surname → language", "pages/9_Surname_language.py", {"name": "Nakamura"})
GENERATION = Demo("Text generation", "pages/10_Text_generation.py", {"prompt": "ROMEO.\nBut soft, "})
TAGGING = Demo("Tagging", "pages/11_Tagging.py", {"sentence": "Neither to you nor any one; having no witness to confirm my speech."})
DATES = Demo("Date translation", "pages/12_Date_translation.py", {"date": "21.11.2026"})
FORECAST = Demo("Forecasting", "pages/13_Forecasting.py", {"series": "co2", "months": "60"})
# The applications of issue 25, each with an input a class can start from
MUSIC = Demo("Music", "pages/19_Music.py", {"song": "my own notes", "notes": "C D E F G:2 G:2 A A A A G:4"})
CAPTIONS = Demo("Image captions", "pages/22_Image_captions.py",
                {"a": "large blue square", "b": "small yellow circle", "where": "top"})
VIDEO = Demo("Video activity", "pages/21_Video_activity.py", {"motion": "clockwise"})
SPEECH = Demo("Speech → letters", "pages/20_Speech.py", {"word": "seven"})

FORMS: dict[str, Form] = {f.key: f for f in (
    Form("one-to-one", "One-to-one", "1 input → 1 output",
         "No sequence at all: one input, one output, a plain feed-forward network. Nothing recurs; it is "
         "here to show what the other four add.",
         "One loss, on the one output.",
         (("Image classification", "One photo in, one label out (\"cat\"): a convolutional network, no "
           "hidden state carried anywhere."),),
         (), ("n_in", "n_out")),
    Form("one-to-many", "One-to-many", "1 input → n_out outputs",
         "One input starts the sequence; the network then writes one output per step, and each output is "
         "fed back as the next step's input.",
         "A loss at every output (during training the true previous item is fed back instead: teacher "
         "forcing).",
         (("Image captioning", "A CNN's summary of the image is the one input; the caption comes out a "
           "word at a time (Vinyals et al. 2015, Show and Tell)."),
          ("Music generation", "From a seed (a first note, a style), one note or chord per step, each "
           "played one fed back in (Eck & Schmidhuber 2002 improvised blues with an LSTM)."),
          ("Text generation from a prompt", "The prompt is read first (many-to-one, to set the state), "
           "then the model writes one character per step, feeding each back (Karpathy 2015, char-rnn).")),
         (GENERATION, MUSIC, CAPTIONS), ("n_in",)),
    Form("many-to-one", "Many-to-one", "n_in inputs → 1 output",
         "The network reads the whole sequence, one item per step, and answers once, after the last one: "
         "its final hidden state must summarise everything it read.",
         "One loss, after the last step only: its gradient must travel back through every step to reach "
         "the first input.",
         (("Sentiment", "A review's words in, positive or negative out."),
          ("Video classification", "One CNN feature vector per frame in, one action label for the clip out "
           "(Donahue et al. 2015; Ng et al. 2015)."),
          ("Surname → language", "A name's letters in, the language it most likely comes from out.")),
         (SENTIMENT, SURNAME, VIDEO), ("n_out",)),
    Form("many-to-many", "Many-to-many, aligned", "n_in inputs → n_out = n_in outputs",
         "One output for every input, at the same step: input and output sequences have the same length "
         "and line up item by item.",
         "A loss at every step; the total is their sum, L = Σ L_t.",
         (("Tagging: parts of speech, named entities", "One tag per word (noun, verb, … or B-PER / I-PER / "
           "O for names); reading in both directions helps, since a word's tag depends on what follows "
           "(Huang, Xu & Yu 2015)."),
          ("Frame labelling in video", "One label per frame (walking, then jumping): the action at each "
           "moment, not one for the clip."),
          ("Speech recognition with CTC", "One output per audio frame, a letter or a 'blank'; CTC's loss "
           "sums over every frame labelling that collapses to the transcript, so the frames need no "
           "hand alignment, but the outputs still come one per frame (Graves et al. 2006)."),
          ("Next-item prediction", "Predict x_{t+1} at every step: the character models of LSTM inside and "
           "the BPTT lesson's model were trained this way, and forecasting one step ahead is this form.")),
         (TAGGING, SPEECH), ("n_out",)),
    Form("encoder-decoder", "Many-to-many, encoder–decoder", "n_in inputs → n_out outputs, any lengths",
         "An encoder reads the whole input; its final state, the context c, starts a decoder with its own "
         "weights, which writes the output one item at a time, feeding each back. The lengths are "
         "independent.",
         "A loss at every decoder output; the encoder has none of its own and learns only through c.",
         (("Translation", "A sentence in one language, another length in the other (Sutskever, Vinyals & "
           "Le 2014; Cho et al. 2014)."),
          ("Date formats", "\"21 november 2026\" (17 characters) → \"2026-11-21\" (10)."),
          ("Speech → text", "Many audio frames in, far fewer letters out, with attention deciding which "
           "frames each letter looks at (Chan et al. 2016, Listen, Attend and Spell)."),
          ("Summarisation", "A long article in, a short headline out (Rush, Chopra & Weston 2015)."),
          ("Forecasting several steps ahead", "The encoder reads the history, the decoder writes the next k "
           "values (the horizon). The alternative: a one-step aligned model, run on its own forecasts, fed back "
           "k times (the Forecasting demo).")),
         (DATES, FORECAST), ()),
)}


def lengths(form: str, n_in: int, n_out: int) -> tuple[int, int]:
    """(n_in, n_out) as the form allows them: one-to-one 1→1, one-to-many 1→n_out, many-to-one n_in→1,
    aligned n_in→n_in, encoder–decoder n_in→n_out (independent)."""
    n_in, n_out = max(1, int(n_in)), max(1, int(n_out))
    return {"one-to-one": (1, 1), "one-to-many": (1, n_out), "many-to-one": (n_in, 1),
            "many-to-many": (n_in, n_in), "encoder-decoder": (n_in, n_out)}[_known(form)]


@dataclass(frozen=True)
class Step:
    t: int             # the column, 1-based from the left
    part: str          # "feed-forward" (no recurrence), "rnn", "encoder" or "decoder"
    reads: bool        # takes an input x from outside
    writes: bool       # produces an output y
    loss: bool         # a loss term sits on that output
    fed_back: bool     # its input is the previous step's output (generation, a decoder)


@dataclass(frozen=True)
class Layout:
    form: str
    n_in: int
    n_out: int
    steps: tuple[Step, ...]
    context: int | None = None      # encoder–decoder: c sits between step `context` and the next one

    @property
    def input_steps(self) -> tuple[int, ...]:
        return tuple(s.t for s in self.steps if s.reads)

    @property
    def output_steps(self) -> tuple[int, ...]:
        return tuple(s.t for s in self.steps if s.writes)

    @property
    def loss_steps(self) -> tuple[int, ...]:
        return tuple(s.t for s in self.steps if s.loss)

    @property
    def fed_back_steps(self) -> tuple[int, ...]:
        return tuple(s.t for s in self.steps if s.fed_back)

    @property
    def recurrent(self) -> bool:
        return any(s.part != "feed-forward" for s in self.steps)

    def hops(self, source: int, target: int) -> int:
        """How many recurrent products (copies of W_hh; a decoder's W_hh counts too) a gradient at h_source
        passes through on its way back to h_target: one per step between them."""
        if not 1 <= target <= source <= len(self.steps):
            raise ValueError(f"need 1 ≤ target ≤ source ≤ {len(self.steps)}; got {target}, {source}")
        return source - target if self.recurrent else 0


def layout(form: str, n_in: int, n_out: int, loss: bool = True) -> Layout:
    """Which step reads, writes and carries a loss, for a form at these lengths.

    one-to-many with n_in > 1 is generation from a prompt: steps 1..n_in read the prompt (many-to-one
    priming, no outputs), step n_in writes the first output, and every later step reads the previous
    output. `loss=False` draws the network at inference (sampling), when no target exists."""
    form = _known(form)
    if form != "one-to-many":
        n_in, n_out = lengths(form, n_in, n_out)
    n_in, n_out = max(1, int(n_in)), max(1, int(n_out))
    if form == "one-to-one":
        steps = [Step(1, "feed-forward", True, True, loss, False)]
    elif form == "one-to-many":
        steps = [Step(t, "rnn", t <= n_in, t >= n_in, loss and t >= n_in, t > n_in)
                 for t in range(1, n_in + n_out)]
    elif form == "many-to-one":
        steps = [Step(t, "rnn", True, t == n_in, loss and t == n_in, False) for t in range(1, n_in + 1)]
    elif form == "many-to-many":
        steps = [Step(t, "rnn", True, True, loss, False) for t in range(1, n_in + 1)]
    else:
        steps = [Step(t, "encoder", True, False, False, False) for t in range(1, n_in + 1)]
        steps += [Step(n_in + j, "decoder", False, True, loss, j > 1) for j in range(1, n_out + 1)]
        return Layout(form, n_in, n_out, tuple(steps), context=n_in)
    return Layout(form, n_in, n_out, tuple(steps))


def summary(lay: Layout) -> str:
    """One plain sentence: how many inputs, outputs and loss terms, and how far back the last loss reaches."""
    n_x, n_y, n_l = len(lay.input_steps), len(lay.output_steps), len(lay.loss_steps)
    plural = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"            # noqa: E731
    out = (f"{plural(len(lay.steps), 'step')}: {plural(n_x, 'input')} from outside, {plural(n_y, 'output')}, "
           f"{plural(n_l, 'loss term')}")
    if lay.fed_back_steps:
        out += f", {plural(len(lay.fed_back_steps), 'output')} fed back as the next input"
    if not lay.recurrent:
        return out + ". No recurrence: nothing passes from one step to the next."
    last = lay.loss_steps[-1] if lay.loss_steps else len(lay.steps)
    return (out + f". From the last loss (step {last}) back to the first input, the gradient passes through "
            f"{plural(lay.hops(last, lay.input_steps[0]), 'recurrent product')}.")


def nearest_loss(form: str, n: int) -> int:
    """How many recurrent products (copies of W_hh) stand between x_1 and the nearest loss term that its
    gradient reaches, when the form reads n inputs (for an encoder–decoder, n in and n out)."""
    lay = layout(form, n, n)
    return min(lay.hops(step, lay.input_steps[0]) for step in lay.loss_steps)


def _known(form: str) -> str:
    if form not in FORMS:
        raise ValueError(f"form must be one of {ORDER}; got {form!r}")
    return form


@lru_cache(maxsize=32)
def layer_parameters(kind: str, layers: int, I: int = EXAMPLE["I"], H: int = EXAMPLE["H"]) -> tuple[int, ...]:
    """The parameters of each layer of an L-layer stack (rnnviz.stack.Stack.n_parameters_per_layer, equal to
    torch.nn's num_layers = L module): G·H·(I + H + 2) for layer 1, G·H·(2H + 2) for each layer above."""
    return tuple(cells.build_stack(kind, I, H, layers).n_parameters_per_layer())


def depth_paths(lay: Layout, layers: int) -> tuple[int, int] | None:
    """(Jacobian factors on every route, how many routes) from x_1 up to the top layer's state at the last loss
    step of a stack of `layers` (stack.path_length, stack.path_count); None without recurrence or a loss."""
    if not lay.recurrent or not lay.loss_steps or not lay.input_steps:
        return None
    T = lay.hops(lay.loss_steps[-1], lay.input_steps[0]) + 1      # the steps from x_1's to the last loss's
    return stack.path_length(T, layers), stack.path_count(T, layers)
