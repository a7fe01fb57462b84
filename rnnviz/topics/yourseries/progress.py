"""What a live run of "Your series" has done so far, in the training process and in the server's copy of it:
the training loss at every step, the held-out checks, the weights of the latest and of the best check.
learn.py trains into it; the page draws from snapshots."""
from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass
class SeriesProgress:
    """What a run has done so far; the training thread appends, the page reads a snapshot."""
    status: str = "waiting"          # waiting | training | finished | stopped | diverged | failed
    steps: int = 0
    seconds: float = 0.0             # wall clock since training began
    curve: list = field(default_factory=list)      # [(step, seconds, train_loss)]: MSE of ẑ, standardised units
    checks: list = field(default_factory=list)     # [(step, seconds, held-out one-step RMSE)]: series units
    weights: dict | None = None      # the state_dict of the latest check (NumPy arrays), None before one
    best_weights: dict | None = None  # ... and of the check with the lowest held-out RMSE (best())
    arch: dict = field(default_factory=dict)       # the Forecaster's from_arch dict
    why: str = ""                    # why this mode (decide_mode), plain text

    @property
    def finished(self) -> bool:
        return self.status not in ("waiting", "training")

    def best(self) -> tuple | None:
        """The check (step, seconds, RMSE) with the lowest held-out RMSE, the first of equals. After it, a run
        whose training loss goes on falling while the held-out RMSE rises is learning the training part's
        noise by heart (overfitting). Measured once on the sunspots (H = 32, 10 s, one quiet core): the
        held-out RMSE was lowest at the first check (22.9 at 2 s) and then 24.6–25.4, while the training loss
        fell from 0.058 to 0.0055."""
        return min(self.checks, key=lambda c: c[2], default=None)

    def snapshot(self) -> "SeriesProgress":
        """A copy whose lists the training will not touch (take it under the run's lock). The weights'
        arrays are replaced at each check, never changed in place, so they are shared."""
        return replace(self, curve=list(self.curve), checks=list(self.checks), arch=dict(self.arch))

    # The run trains in a process of its own (live.py): there, delta() says what changed since the last
    # call; the server's copy takes it with apply(). The lists only ever grow.
    def delta(self, sent: dict) -> dict:
        """New curve and check items since `sent` (advanced here), the fields that change, and the weights
        when a check has come since they were last sent. Take it under the run's lock."""
        d = {"curve": self.curve[sent.get("curve", 0):], "checks": self.checks[sent.get("checks", 0):],
             "status": self.status, "steps": self.steps, "seconds": self.seconds}
        if self.weights is not None and sent.get("weights") != len(self.checks):
            d["weights"], d["best_weights"] = self.weights, self.best_weights
            sent["weights"] = len(self.checks)
        sent["curve"], sent["checks"] = len(self.curve), len(self.checks)
        return d

    def apply(self, d: dict) -> None:
        self.curve.extend(d["curve"])
        self.checks.extend(d["checks"])
        self.status, self.steps, self.seconds = d["status"], d["steps"], d["seconds"]
        if "weights" in d:
            self.weights, self.best_weights = d["weights"], d["best_weights"]
