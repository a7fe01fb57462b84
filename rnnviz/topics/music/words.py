"""What the Music page says: the intro, the controls' help, how to read the piano roll, the data, the presets,
the question and its answer, and the sentences written from a generated tune or the held-out scores.

Fixed texts are constants, plain markdown with nothing typed in them; a text that quotes the model or a tune is
a function of it, every number computed (tests/topics/music/ hold them).
"""
from __future__ import annotations

from rnnviz.topics.music import compute, notes, synth
from rnnviz.topics.music.model import MelodyLSTM

BPM = 120                    # the tempo the tunes are played at: a beat is half a second
OWN = "my own notes"         # the opening option that reads the notes box

# The openings offered: (title, where it is in the Essen files, its first notes up to 8 beats, as
# compute.opening_of writes them). All are held-out songs: tests/topics/music/test_music_data.py checks that each
# is in the test split and that its opening is what is written here.
SONGS = {
    "Es wollt ein Vogel": ("Es wollt ein Vogel Hochzeit machen", "erk10 #288",
                           "G4:0.5 C5:0.5 D5:0.5 E5:0.5 F5:0.5 G5:0.5 G5:0.5 G5:0.5 G5:0.5 A5:0.5 F5:0.5 C6:0.5 "
                           "A5:0.5 A5:0.5 G5:0.5 G5:0.5"),
    "Zwei Koenigskinder": ("Es waren zwei Königskinder", "erk10 #154", "G4 E5 E5:0.5 E5:0.5 E5 D5 D5:1.5 C5:0.5 C5"),
    "Fuchs im Loche": ("Fuchs im Loche", "altdeu20 #138",
                       "G5 E5:0.5 F5:0.5 E5:0.5 D5:0.5 C5 G5 E5:0.5 F5:0.5 E5:0.5 D5:0.5 C5"),
    "Der lustige Mai": ("Der Mai, der Mai, der lustige Mai", "erk20 #340",
                        "G4:0.5 C5:1.5 D5:0.5 E5 G5 E5 D5:0.5 E5:0.5 C5 r:0.5"),
    "Staedt und Land": ("Ich hab durchwandert Städt und Land", "erk30 #355", "C4 G4 A4 B4 G4 A4 B4"),
}
DEFAULT_SONG = "Es wollt ein Vogel"
OWN_DEFAULT = "C D E F G:2 G:2 A A A A G:4"

INTRO = ("**One-to-many: a melody, note by note.** An LSTM that learned from about 5,600 German folk songs reads "
         "an opening, then writes on, drawing each next note from its probabilities at temperature τ. At every step "
         "it gives a probability to each possible next note, draws one, and reads its own note as its next input: "
         "listen to it, and look at what it weighed at every step.")
HELP = {
    "hear": f"Plays the tune drawn in the piano roll, opening and written notes, at {BPM} beats a minute "
            "(synthesised with NumPy on the app's server, nothing downloaded). A new setting draws a new tune: "
            "press again to hear it.",
    "song": "The opening it continues: the first bars of a song it never heard (held out from training), or "
            "your own notes.",
    "notes": "Your opening, one note per word: a letter A–G, maybe # or b, an octave (4 unless said: C4 is middle "
             f"C), maybe :beats (1 unless said). G:2 lasts two beats, E:0.5 half a beat, r is a rest. At most "
             f"{notes.MAX_NOTES} notes. Example: C D E F G:2 G:2",
    "tau": "Temperature: each distribution becomes softmax(logits / τ). Low τ: nearly always the likeliest note. "
           "τ = 1: as the model learned it. High τ: flatter, bolder, stranger.",
    "n": "How many notes it writes after the opening.",
    "seed": "The random draws: the same seed, τ and opening always give the same tune; another seed, another tune.",
}
HOW_TO_READ = ("Time runs left to right, in beats; each row is a pitch (the bottom row is a rest). Grey bars are the "
               "opening, orange bars the notes the LSTM wrote, right of the dashed line. Behind each note, its column "
               "is shaded by the probability the model gave each pitch *before* that note was drawn (at τ): deep blue "
               "is likely, clear is unlikely. A bar on a pale cell was a surprise; a bar on its column's only blue cell "
               "was near certain. The rhythm has its own chart below.")
DATA = ("**Where the tunes come from.** The Essen folk song collection (EsAC; Helmut Schaffrath, then Ewa "
        "Dahlig-Turek), in ABC notation by Seymour Shlien, ships inside the `music21` Python package's wheel "
        "(`music21/corpus/essenFolksong`), for non-commercial use. Only its German-speaking collections are used "
        "(mostly Germany, with Lorraine and Luxembourg: one style); we read the ABC files ourselves, music21 is never run. "
        "**Simplifications:** every song is moved so that the key in its file is C (a minor song lands in C minor "
        "or A minor, as its file notes it), so the model learns steps of the scale, not keys; a tied note is one "
        "longer note; the songs with a rare pitch or length are left out. A note is a pitch and a length, "
        "predicted from the same state by two read-outs. The held-out songs are split off by *song family*: "
        "variants of one song (noted in different villages) are all in training or all held out.")


def opening(song: str, typed: str, model: MelodyLSTM) -> notes.Parsed:
    """The opening's notes: a held-out song's, or the typed ones (with their problems)."""
    text = typed if song == OWN else SONGS.get(song, SONGS[DEFAULT_SONG])[2]
    return notes.parse(text, model.pitches, model.durations)


def tune_said(g: compute.Generation, held: bool = False) -> str:
    """Under the piano roll: what the model wrote, its range, its mean surprise and whether it loops (plain
    text). `held`: the question below asks whether it loops, not answered yet: that part waits."""
    written = range(g.n_open, len(g.pitches))
    sounding = [g.pitches[t] for t in written if g.pitches[t] != notes.REST]
    beats = sum(g.durations[t] for t in written)
    body = f"The LSTM wrote {len(written)} notes ({beats:g} beats) after the {g.n_open}-note opening"
    if not sounding:
        body += ", all rests"
    elif len(set(sounding)) == 1:
        body += f", every one of them {notes.name(sounding[0])} (or a rest)"
    else:
        body += (f", {len(set(sounding))} different pitches from {notes.name(min(sounding))} to "
                 f"{notes.name(max(sounding))}")
    bits = g.surprise()
    body += (f". Each note it drew carried {bits:.1f} bits of surprise on average at τ = {g.temperature:g}, as "
             f"much as a pick among {2 ** bits:.0f} equally likely notes")
    loop = g.loop()
    if held:
        return body + ". Does it end in a loop? Answer the question below first."
    looped = (f"its last {compute.LOOP_TAIL} notes repeat every {loop} note{'s' if loop > 1 else ''}" if loop
              else f"its last {compute.LOOP_TAIL} notes do not repeat a short pattern")
    return f"{body}; {looped}."


def audio_said(g: compute.Generation) -> str:
    """The sound's line: how long the tune lasts, and where the player stops a very long one (plain text)."""
    seconds = g.beats * 60 / BPM
    cut = f"; the player stops at {synth.MAX_SECONDS:.0f} s" if seconds > synth.MAX_SECONDS else ""
    return (f"“Hear the tune” plays it at {BPM} beats a minute: {seconds:.1f} s{cut}, synthesised on the server "
            f"with NumPy ({len(synth.HARMONICS)} harmonics per note).")


def scores_said(m: dict) -> str:
    """Under the scoreboard: the LSTM against the better baseline, in numbers (plain text)."""
    return (f"On {m['test_notes']:,} notes of held-out songs (every note after a song's first), the LSTM names the "
            f"next pitch {m['test_pitch_accuracy']:.0%} of the time against {m['bigram_pitch_accuracy']:.0%} for the "
            f"bigram and {m['repeat_pitch_accuracy']:.0%} for repeating the last note; its NLL is "
            f"{m['test_nll']:.2f} nats per note against {m['bigram_nll']:.2f} and {m['repeat_nll']:.2f} (lower is "
            "better: it is the surprise, on average, at the real next note).")


BASELINES = ("**The baselines.** *Repeat the last note* bets on the same pitch and length again (mixed with how often "
             "each occurs, so a change is not infinitely surprising). *Bigram* counts, in the training songs, which "
             "pitch follows which and which length follows which: it knows one step back, nothing more. The LSTM "
             "reads the whole tune so far.")

# "What to try": (button, controls it sets, what to look at[, what it shows, held until the question is answered]).
PRESETS = [
    ("Cold: τ = 0.1", {"tau": 0.1},
     "Nearly always its likeliest note: every column has one deep blue cell. Listen to the end of the tune.",
     "A model that always takes its best guess tends to circle: the sentence under the chart says whether "
     "this one loops."),
    ("Hot: τ = 1.8", {"tau": 1.8},
     "Flattened distributions: pale columns, big leaps and odd rhythms. Is it still a folk song?"),
    ("Another seed", {"seed": 7},
     "Same opening, same τ = 1, other draws: another tune that the model finds just as likely."),
    ("Your own opening", {"song": OWN, "notes": OWN_DEFAULT},
     "A children's song as an opening (edit the notes box). Does the model keep its rhythm?"),
]
QUESTION = ("At τ = 0.1 the model nearly always takes its likeliest next note. From the opening chosen above, "
            "will the end of the 48 notes it writes be a loop, the same short pattern over and over?")
ANSWERS = ["Yes: it ends in a loop", "No: it keeps changing"]
QUESTION_N = 48


def answer(model: MelodyLSTM, pitches: list[int], durations: list[float]) -> tuple[int, str]:
    """The predict-then-reveal answer for this opening (index into ANSWERS) and its explanation (markdown)."""
    g = compute.generate(model, pitches, durations, QUESTION_N, 0.1, 0)
    loop = g.loop()
    idx = 0 if loop else 1
    said = (f"At τ = 0.1 (seed 0) its last {compute.LOOP_TAIL} notes repeat every {loop} note"
            f"{'s' if loop > 1 else ''}: " if loop else f"At τ = 0.1 (seed 0) its last {compute.LOOP_TAIL} notes "
            "do not fall into a short loop: ")
    tail = notes.write(g.pitches[-compute.LOOP_TAIL:], g.durations[-compute.LOOP_TAIL:])
    why = (" Nearly greedy choice has a hard time getting out: once a phrase comes round again, the state it "
           "leads to is much like the last time, so the same notes are likeliest again." if loop else
           " Even nearly greedy, this opening led it on without a short loop; try another opening with the "
           "“Cold” preset: many do end circling.")
    return idx, said + tail + "." + why + " Sampling at τ near 1 is what lets a tune move on."
