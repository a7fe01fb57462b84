"""What the Home page says: its intro, what a sequence is, the idea of a recurrent network, and the student's
progress. Plain strings and small functions (no streamlit); the numbers they quote come from the figures and
the cell the page draws (tests/topics/home/test_words_home.py holds them)."""
from __future__ import annotations

INTRO = (
    "An interactive explainer for a class or for home. Every chart is computed live, on the computer that runs "
    "this app (a laptop's CPU is enough), by small transparent cells that agree with PyTorch's `torch.nn` number "
    "for number (to 10⁻⁵ in the 32-bit floats torch uses by default, a test checks every one), so the numbers "
    "you see are the numbers a real network computes.")

SEQUENCES = ("A **sequence** is an ordered list of vectors $x_1, x_2, \\dots, x_T$. Text is a sequence of "
             "characters or words, a time series of readings, audio of samples, video of frames.")

ORDER_MATTERS = ("dog bites man", "man bites dog")     # the same words (the same 'bag of words'), opposite meanings

IDEA = ("A feed-forward network would need a separate input slot (and separate weights) for every "
        "position, and a fixed length. A recurrent network instead applies **the same cell, with the "
        "same weights**, at every step, and passes a hidden state $h_t$ forward as its memory:")


# Why the course starts where it does: the first lesson (catalog.ORDER's first), in one line.
START_WHY = ("It shows every form a recurrent network takes, each running a real small model: the map that "
             "the other lessons open up one piece at a time.")
TEACHERS = ("Teaching a class? The *Lesson plan* steps through the course with a timed 20- or 90-minute plan, "
            "a question to predict at every step.")
MINUTES_WHY = ("Minutes are what a class needs for the page's main view, its question and a preset or two; "
               "a class that explores longer will take longer.")


def start_here(number: int, of: int, minutes: int) -> str:
    return f"**:material/flag: Start here:** lesson {number} of {of}, {minutes} minutes. {START_WHY}"


def course_note(lessons: int, minutes: int) -> str:
    """The line above the numbered lessons: how many, and how long all of them take."""
    return f"{lessons} lessons, {minutes} minutes in all, in this order. {MINUTES_WHY}"


def demos_note(demos: int, minutes: int) -> str:
    return (f"{demos} trained models at work, {minutes} minutes in all: each one a form from *Architectures*, "
            "in any order, after the lessons or between them.")


def order_note(a: str, b: str) -> str:
    return (f"Order carries meaning: *{a}* and *{b}* contain exactly the same words. A model that only "
            "counts words cannot tell them apart; a model that reads in order can.")


def unrolled_summary(steps: int) -> str:
    return (f"One RNN cell unrolled over {steps} steps: every copy has the same weights W_ih and W_hh, reads x_t and "
            "passes h_t to the next copy.")


def parameter_caption(steps: int, I: int, H: int, n: int) -> str:
    """The Home page's count of an RNN's parameters, with why the formula has a +2."""
    return (f"Unrolled over {steps} steps or 500, this RNN ({I} inputs, {H} hidden units) has {n:,} parameters: "
            f"H·(I + H + 2) = {H}·({I} + {H} + 2), that is W_ih (H×I), W_hh (H×H) and two bias vectors of H: "
            "PyTorch stores b_ih and b_hh where a textbook writes one b, and only their sum matters. Training it "
            "means sending the loss's gradient back through every copy: backpropagation through time.")


def progress_note(seen: int, answered: int, right: int, of: int) -> str:
    """This visit's progress: pages opened and questions answered, of the lessons and demos."""
    return (f"**Your progress in this visit:** {seen} of {of} lessons and demos opened; {answered} of {of} questions "
            f"answered, {right} right (it starts again in a new browser tab: nothing is stored).")
