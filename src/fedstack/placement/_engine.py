"""The placement engine: filter every provider+region of the catalog, then pick deterministically.

Candidates go through four stages (capability, offering, requirement, policy); each refusal
is kept with its reason. The policy stage calls the one policy engine (`fedstack.policy`).
"""

from __future__ import annotations

from collections.abc import Iterable

from fedstack.catalog import Catalog
from fedstack.placement._model import (
    STAGES,
    Candidate,
    ComponentRequest,
    Decision,
    PlacementError,
    Reason,
)
from fedstack.policy import PlacementCheck, Policy

__all__ = ["Placer"]


class Placer:
    """Places the components of one workload, one after the other, under one policy.

    Deterministic: the same catalog, policy and requests (in the same order) give the same
    decisions. Ties are broken by the catalog's order of providers and regions.
    """

    def __init__(
        self,
        catalog: Catalog,
        policy: Policy,
        *,
        workload: str,
        spread: int = 1,
        checks: dict[tuple[str, ...], PlacementCheck] | None = None,
        exclude: tuple[str, ...] = (),
    ) -> None:
        if spread < 1:
            raise PlacementError(f"workload {workload!r}: spread must be at least 1, not {spread}")
        self.catalog = catalog
        self.policy = policy
        self.workload = workload
        self.spread = spread
        self.decisions: list[Decision] = []
        # Providers ("name") or regions ("name/region") the app has left (`fedstack exit`).
        self.exclude = tuple(exclude)
        self._by_name: dict[str, Decision] = {}
        # The catalog and the policy are immutable: one check per provider+region is enough,
        # and several workloads of one app may share the cache (`checks`).
        self._checks: dict[tuple[str, ...], PlacementCheck] = {} if checks is None else checks

    # -- public -------------------------------------------------------------------------------

    def place(self, request: ComponentRequest) -> Decision:
        """Choose a provider and region for `request`, or raise PlacementError naming why not."""
        if request.name in self._by_name:
            raise PlacementError(
                f"workload {self.workload!r} already has a component named {request.name!r}"
            )
        self._check_references(request)
        candidates = [
            self._judge(request, provider, region)
            for provider, region in self._all(request.capability)
        ]
        accepted = [c for c in candidates if c.accepted]
        if not accepted:
            decision = Decision(
                request.name,
                request.capability,
                None,
                None,
                None,
                _eliminated_by(candidates, [r.id for r in self.policy.rules]),
                tuple(candidates),
            )
            self._record(decision)
            raise PlacementError(
                f"no placement for component {request.name!r} ({request.capability}) of "
                f"workload {self.workload!r}: {decision.why}",
                list(self.decisions),
            )
        chosen, why = self._choose(request, accepted)
        warnings = self._pinned_policy_warnings(request, chosen)
        decision = Decision(
            request.name,
            request.capability,
            chosen.provider,
            chosen.region,
            chosen.country,
            why,
            tuple(candidates),
            pinned=_pinned(request),
            policy_warnings=warnings,
        )
        self._record(decision)
        return decision

    def check_spread(self) -> None:
        """Raise PlacementError when fewer providers are used than the workload's spread."""
        used = self.providers_used()
        if len(used) < self.spread:
            raise PlacementError(
                f"workload {self.workload!r} asks to spread across at least {self.spread} "
                f"providers but its {len(self.decisions)} component(s) landed on "
                f"{len(used)} ({', '.join(used) or 'none'}): add components or relax "
                "the policy or requirements that exclude the other providers",
                list(self.decisions),
            )

    def providers_used(self) -> list[str]:
        """Providers the placed components use, in first-use order."""
        return list(dict.fromkeys(d.provider for d in self.decisions if d.provider))

    # -- stages -------------------------------------------------------------------------------

    def _all(self, capability: str) -> Iterable[tuple[str, str]]:
        # A capability with regions of its own (object storage at some providers) is placed in
        # those; every other capability in the provider's regions.
        for provider_name, provider in self.catalog.providers.items():
            entry = provider.capabilities.get(capability)
            own = entry.own_regions if entry is not None else None
            for region_name in own if own is not None else provider.regions:
                yield provider_name, region_name

    def _judge(self, request: ComponentRequest, provider_name: str, region_name: str) -> Candidate:
        provider = self.catalog.providers[provider_name]
        cap = request.capability
        entry = provider.region_entry(region_name, cap) or provider.regions[region_name]
        country = entry.country
        reasons: list[Reason] = []
        if cap not in provider.capabilities:
            why = provider.unsupported.get(cap) or "the catalog lists no module for it"
            reasons.append(
                Reason("capability", cap, f"{provider_name} does not offer {cap}: {why}")
            )
        elif not provider.offers(cap, region_name):
            reasons.append(
                Reason("capability", cap, f"{provider_name} does not offer {cap} in {region_name}")
            )
        reasons += self._offering(request, provider_name)
        reasons += self._exits(provider_name, region_name)
        if not _pinned(request):
            check = self._check(provider_name, region_name, cap)
            for finding in check.failures():
                reasons.append(
                    Reason("policy", finding.rule_id, f"{finding.outcome.value}: {finding.message}")
                )
        reasons += self._requirements(request, provider_name, region_name, country)
        return Candidate(provider_name, region_name, country, tuple(reasons))

    def _offering(self, request: ComponentRequest, provider_name: str) -> list[Reason]:
        provider = self.catalog.providers[provider_name]
        req = request.requirements
        reasons = []
        if req.size and provider.sizes and req.size not in provider.sizes:
            reasons.append(Reason("offering", "size", f"{provider_name} has no size {req.size!r}"))
        if req.image and provider.images and req.image not in provider.images:
            reasons.append(
                Reason("offering", "image", f"{provider_name} has no image {req.image!r}")
            )
        return reasons

    def _exits(self, provider: str, region: str) -> list[Reason]:
        for left in self.exclude:
            if left in (provider, f"{provider}/{region}"):
                return [Reason("requirement", "exit", f"the app has left {left} (fedstack exit)")]
        return []

    def _requirements(
        self, request: ComponentRequest, provider: str, region: str, country: str
    ) -> list[Reason]:
        req = request.requirements
        reasons = []
        if req.provider and provider != req.provider:
            reasons.append(Reason("requirement", "provider", f"pinned to provider {req.provider}"))
        if req.region and region != req.region:
            reasons.append(Reason("requirement", "region", f"pinned to region {req.region}"))
        if req.countries is not None and country not in req.countries:
            allowed = ", ".join(req.countries)
            reasons.append(Reason("requirement", "countries", f"{country} is not one of {allowed}"))
        if provider in req.avoid:
            reasons.append(Reason("requirement", "avoid", f"the component avoids {provider}"))
        for other in req.not_with:
            placed = self._by_name[other]
            if placed.provider == provider:
                reasons.append(
                    Reason("requirement", "not-with", f"{other!r} is already on {provider}")
                )
        if request.with_component:
            peer = self._by_name[request.with_component]
            if (peer.provider, peer.region) != (provider, region):
                reasons.append(
                    Reason(
                        "requirement",
                        "with",
                        f"must share provider and region with {request.with_component!r} "
                        f"({peer.provider}/{peer.region})",
                    )
                )
        return reasons

    # -- choice -------------------------------------------------------------------------------

    def _choose(
        self, request: ComponentRequest, accepted: list[Candidate]
    ) -> tuple[Candidate, str]:
        prefer = request.requirements.prefer
        used = set(self.providers_used())
        spreading = len(used) < self.spread

        def rank(candidate: Candidate) -> tuple[int, int]:
            preferred = (
                prefer.index(candidate.provider) if candidate.provider in prefer else len(prefer)
            )
            # While the spread is not reached, a new provider is better; after it, an old one.
            fits = (candidate.provider not in used) if spreading else (candidate.provider in used)
            return preferred, 0 if fits else 1

        best = min(accepted, key=rank)  # min keeps the first (catalog order) among equals
        preferred, fits = rank(best)
        if _pinned(request):
            why = "set by hand"
        elif preferred < len(prefer):
            why = f"preferred provider {best.provider}"
        elif fits == 0 and spreading and used:
            why = f"spreads the workload to another provider (spread {self.spread})"
        elif fits == 0 and not spreading:
            why = "keeps the workload on providers already in use"
        else:
            why = "first acceptable candidate in catalog order"
        return best, why

    # -- helpers ------------------------------------------------------------------------------

    def _check_references(self, request: ComponentRequest) -> None:
        names = list(request.requirements.not_with)
        if request.with_component:
            names.append(request.with_component)
        for name in names:
            if name not in self._by_name:
                raise PlacementError(
                    f"component {request.name!r} refers to {name!r}, which is not placed yet: "
                    "declare it earlier in the workload"
                )

    def _pinned_policy_warnings(
        self, request: ComponentRequest, chosen: Candidate
    ) -> tuple[str, ...]:
        if not _pinned(request):
            return ()
        check = self._check(chosen.provider, chosen.region, request.capability)
        return tuple(f"{f.rule_id} {f.outcome.value}: {f.message}" for f in check.failures())

    def _check(self, provider: str, region: str, capability: str) -> PlacementCheck:
        key = (provider, region, capability)
        if key not in self._checks:
            self._checks[key] = self.policy.check_placement(
                self.catalog, provider, region, capability
            )
        return self._checks[key]

    def _record(self, decision: Decision) -> None:
        self.decisions.append(decision)
        self._by_name[decision.component] = decision


def _pinned(request: ComponentRequest) -> bool:
    return bool(request.requirements.provider or request.requirements.region)


def _eliminated_by(candidates: list[Candidate], rule_order: list[str]) -> str:
    """The stage and rule that refused the last remaining candidates.

    Candidates are filtered stage by stage, and inside a stage rule by rule (policy rules in
    the policy's order), so the message names the constraint that emptied the list.
    """
    remaining = candidates
    for stage in STAGES:
        rules = list(
            dict.fromkeys(r.rule for c in remaining for r in c.reasons if r.stage == stage)
        )
        rules.sort(
            key=lambda rule: rule_order.index(rule) if rule in rule_order else len(rule_order)
        )
        for rule in rules:
            survivors = [
                c
                for c in remaining
                if not any(r.stage == stage and r.rule == rule for r in c.reasons)
            ]
            if not survivors:
                where = ", ".join(f"{c.provider}/{c.region}" for c in remaining)
                example = next(
                    r for r in remaining[0].reasons if r.stage == stage and r.rule == rule
                )
                return (
                    f"{stage} {rule} refused the last {len(remaining)} candidate(s) ({where}); "
                    f"for example {remaining[0].provider}/{remaining[0].region}: {example.message}"
                )
            remaining = survivors
    return "no candidates in the catalog"
