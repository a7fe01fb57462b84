"""CTC decoding held to hand-made probabilities and to torch: the greedy collapse step by step, the prefix
beam search (it finds the spelling greedy misses, and never a less likely one than greedy's), the exact
probability of a spelling against nn.functional.ctc_loss, and the character error rate."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from rnnviz.topics.speech import ctc


def test_collapse_merges_repeats_then_drops_blanks():
    c = ctc.collapse_steps([0, 3, 3, 0, 1, 1, 1, 0, 0, 4, 0, 4, 4])
    assert c.merged == [0, 3, 0, 1, 0, 4, 0, 4]
    assert c.letters == [3, 1, 4, 4]                     # a blank between two 4s keeps them two
    assert ctc.collapse_steps([2, 2, 2]).letters == [2]   # without one, they merge
    assert ctc.collapse_steps([0, 0]).letters == []


def test_beam_finds_the_spelling_the_best_path_misses():
    # two frames, p(blank) = 0.6, p(a) = 0.4 at each: the best path is "··" (0.36), the empty spelling;
    # but "a" has three paths, aa, a·, ·a: 0.16 + 0.24 + 0.24 = 0.64
    p = np.array([[0.6, 0.4], [0.6, 0.4]])
    letters, logp = ctc.greedy(p)
    assert letters == [] and np.exp(logp) == pytest.approx(0.36)
    best, blogp = ctc.beam_search(p, width=4)
    assert best == [1] and np.exp(blogp) == pytest.approx(0.64)
    assert np.exp(ctc.text_logprob(p, [1])) == pytest.approx(0.64)
    assert np.exp(ctc.text_logprob(p, [])) == pytest.approx(0.36)


def torch_logprob(p: np.ndarray, letters: list[int]) -> float:
    logp = torch.tensor(np.log(p))[:, None, :]                                  # (T, 1, K)
    target = torch.tensor([letters], dtype=torch.long) if letters else torch.zeros((1, 0), dtype=torch.long)
    return -torch.nn.functional.ctc_loss(logp, target, torch.tensor([len(p)]), torch.tensor([len(letters)]),
                                         reduction="sum").item()


@pytest.mark.parametrize("seed", range(6))
def test_text_probability_and_beam_against_torch_and_greedy(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(4, 0.6), size=5)                                 # (T=5, K=4), blank = 0
    for letters in ([], [1], [2, 2], [3, 1, 2]):
        assert ctc.text_logprob(p, letters) == pytest.approx(torch_logprob(p, letters), abs=1e-9)
    greedy, path_logp = ctc.greedy(p)
    # a beam wider than the 1 + 3 + … + 3^5 = 364 prefixes there are: exact, the likeliest spelling of all
    best, blogp = ctc.beam_search(p, width=400, prune=0.0)
    assert blogp == pytest.approx(ctc.text_logprob(p, best), abs=1e-9)
    assert ctc.text_logprob(p, best) >= ctc.text_logprob(p, greedy) - 1e-12    # never less likely than greedy's
    # the page's beam (width 8): its spelling is at least as likely as the single best path
    narrow, nlogp = ctc.beam_search(p, width=8)
    assert ctc.text_logprob(p, narrow) >= nlogp - 1e-9 and nlogp >= path_logp - 1e-9


def test_character_error_rate():
    assert ctc.edit_distance("kitten", "sitting") == 3
    assert ctc.cer("seven", "seven") == 0 and ctc.cer("", "seven") == 1
    assert ctc.cer("sevven", "seven") == pytest.approx(1 / 5)
    assert ctc.cer("abcdefgh", "ab") == 3.0                                    # can pass 1
