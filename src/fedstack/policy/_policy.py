"""A policy: a named list of rules, checked against one placement at a time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fedstack.catalog import Catalog
from fedstack.policy._errors import PolicyError
from fedstack.policy._outcome import Finding, Outcome, worst
from fedstack.policy._rules import AnyRule, Rule
from fedstack.policy._subject import Subject
from fedstack.policy._validation import describe

__all__ = ["PlacementCheck", "Policy"]


@dataclass(frozen=True)
class PlacementCheck:
    """Every rule's finding for one provider+region, and the worst of them."""

    provider: str | None
    region: str | None
    country: str | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        """The worst outcome of the findings (PASS when the policy has no rules)."""
        return worst(f.outcome for f in self.findings)

    @property
    def passed(self) -> bool:
        """True only when every rule passed (UNKNOWN is not a pass)."""
        return self.outcome is Outcome.PASS

    def failures(self) -> list[Finding]:
        """The findings that are not PASS, worst first."""
        bad = [f for f in self.findings if f.outcome is not Outcome.PASS]
        return sorted(bad, key=lambda f: -f.outcome.rank)

    def explain(self) -> str:
        """One line per finding, such as `FAIL data-location-eu: sandbox-de/ch-zrh is in CH...`."""
        return "\n".join(
            f"{f.outcome.value.upper():7} {f.rule_id}: {f.message}" for f in self.findings
        )


class Policy(BaseModel):
    """A sovereignty policy: rules with parameters; a placement passes when every rule passes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = "custom"
    description: str = ""
    rules: list[AnyRule] = Field(default_factory=list)

    @classmethod
    def build(
        cls,
        *,
        eu_only_locations: bool = True,
        eu_headquarters: bool = False,
        no_non_eu_control: bool = False,
        min_gaia_x_level: str | None = None,
        certifications: Iterable[str] = (),
        allowed_providers: Iterable[str] | None = None,
        denied_providers: Iterable[str] = (),
        allowed_countries: Iterable[str] | None = None,
        denied_countries: Iterable[str] = (),
        area: str = "eea",
        name: str = "custom",
        description: str = "",
    ) -> Policy:
        """A policy from keyword switches (the CDK layer's way); validated like a YAML file.

        `eu_only_locations` adds data-location-eu and processing-location-declared; the area
        is the EEA by default, as the Gaia-X criteria say EU/EEA (`area="eu"` for the 27).
        Certifications accept `secnumcloud`, `bsi_c5` (or `SecNumCloud`, `BSI C5`).
        """
        rules: list[dict[str, object]] = []
        if eu_only_locations:
            rules += [
                {"id": "data-location-eu", "area": area},
                {"id": "processing-location-declared"},
            ]
        if eu_headquarters:
            rules.append({"id": "headquarters-eu", "area": area})
        if no_non_eu_control:
            rules.append({"id": "no-non-eu-control"})
        if min_gaia_x_level is not None:
            rules.append({"id": "gaia-x-label-min", "level": min_gaia_x_level})
        if required := [_certification_name(c) for c in certifications]:
            rules.append({"id": "certifications", "required": required})
        if allowed_providers is not None:
            rules.append({"id": "providers-allowed", "providers": list(allowed_providers)})
        if denied := list(denied_providers):
            rules.append({"id": "providers-denied", "providers": denied})
        if allowed_countries is not None:
            rules.append(
                {"id": "countries-allowed", "countries": [c.upper() for c in allowed_countries]}
            )
        if denied_c := [c.upper() for c in denied_countries]:
            rules.append({"id": "countries-denied", "countries": denied_c})
        try:
            return cls.model_validate({"name": name, "description": description, "rules": rules})
        except ValidationError as exc:
            raise PolicyError(f"Policy.build: {describe(exc)}") from None

    def rule(self, rule_id: str) -> Rule:
        """The rule of this policy with `rule_id`, or KeyError naming the ones it has."""
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"policy {self.name!r} has no rule {rule_id!r}")

    def check_subject(self, subject: Subject) -> PlacementCheck:
        """Every rule's finding for an already resolved subject."""
        return PlacementCheck(
            provider=subject.provider_name,
            region=subject.region_name,
            country=subject.country,
            findings=[rule.evaluate(subject) for rule in self.rules],
        )

    def check_placement(
        self,
        catalog: Catalog,
        provider: str | None,
        region: str | None,
        capability: str | None = None,
    ) -> PlacementCheck:
        """Check one placement (catalog provider and region names) against every rule.

        With `capability`, the region is looked up in that capability's region set (object
        storage regions of their own) and offering-scoped facts apply.
        """
        return self.check_subject(Subject.resolve(catalog, provider, region, capability))

    def check_catalog(
        self, catalog: Catalog, capability: str | None = None
    ) -> list[PlacementCheck]:
        """Every provider/region of the catalog (offering `capability` there, when given), checked."""
        if capability is None:
            return [
                self.check_placement(catalog, name, region)
                for name, provider in catalog.providers.items()
                for region in provider.regions
            ]
        return [
            self.check_placement(catalog, name, region, capability)
            for name, provider in catalog.providers.items()
            for region in provider.regions_for(capability)
        ]

    def to_yaml(self) -> str:
        """The policy as a YAML file `load_policy` reads back (start of a custom policy)."""
        body = {
            "name": self.name,
            "description": self.description,
            "rules": [{"id": r.id, **r.parameters()} for r in self.rules],
        }
        return yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


def _certification_name(value: str) -> str:
    # Accept the names people write ("SecNumCloud", "BSI C5", "bsi-c5") for the fact names.
    return value.strip().lower().replace("-", "_").replace(" ", "_")
