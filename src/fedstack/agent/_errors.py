"""The agent's errors: why a job failed, in words a service type's `onErrorRegexp` can match."""

from __future__ import annotations

from fedstack.errors import FedstackError

__all__ = ["AgentError", "FulcrumError", "JobFailure"]


class AgentError(FedstackError):
    """The agent cannot start or go on (bad flags, its own placement breaks its policy)."""


class FulcrumError(AgentError):
    """Fulcrum core refused a request or could not be reached."""


class JobFailure(FedstackError):
    """A job cannot be done; `message` goes to Fulcrum as the job's errorMessage.

    Every message starts with its kind (`policy:`, `quota:`, `terraform:`, `invalid:`,
    `locked:`), so the lifecycle's error transitions can tell them apart by regexp.
    """

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason
