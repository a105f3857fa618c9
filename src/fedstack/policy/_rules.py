"""The rules: each a stable ID, a one-line rationale, the criterion it maps to and its parameters.

A rule reads only the catalog (provider, region of the placement's capability, the facts whose
scope covers the placement, the region's own contracting entity). A fact that is missing, out
of scope or not verified makes the rule UNKNOWN, never PASS: a policy must be provable from
sources.
Pure Python: must not import cdktf, jsii or the web framework.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fedstack.catalog import EEA, EU, GAIA_X_LEVELS, Transfers, is_country
from fedstack.policy._outcome import Finding, Outcome, worst
from fedstack.policy._subject import Subject

__all__ = [
    "AREAS",
    "CERTIFICATIONS",
    "RULE_TYPES",
    "AllowedCountries",
    "AllowedProviders",
    "AnyRule",
    "Certifications",
    "DataLocation",
    "DeniedCountries",
    "DeniedProviders",
    "Headquarters",
    "MinGaiaXLabel",
    "NoNonEuControl",
    "ProcessingLocationDeclared",
    "Rule",
    "TechnologySupplierEu",
    "TransfersDisclosed",
    "TransfersSafeguarded",
]

AREAS: dict[str, frozenset[str]] = {"eu": EU, "eea": EEA}
"""The areas a location rule can require: the EU (27) or the EEA (EU + IS, LI, NO)."""

CERTIFICATIONS: dict[str, str] = {"secnumcloud": "SecNumCloud (ANSSI)", "bsi_c5": "BSI C5"}
"""Certifications a policy can require, by catalog fact name."""

Area = Literal["eu", "eea"]

# Where the criterion numbers come from, and how far they were checked (see docs/policy-rules.md).
_P51_NOTE = (
    "Numbers from the Gaia-X Policy Rules / Compliance Document numbering. A Gaia-X compliance "
    "tool's criteria table groups P5.1.1 under Label Level 2 and P5.1.2 to P5.1.7 (European "
    "Control) under Label Level 3, and Gaia-X's label descriptions say Level 2 offers a European "
    "location and Level 3 mandates it; the text of this single criterion was not found in the "
    "copies searched, so its exact wording is not confirmed."
)
_TABLE_NOTE = (
    "Criterion text quoted from a copy of the Gaia-X labelling criteria table kept in a Gaia-X "
    "compliance tool's database seed (22.x-era numbering, read 2026-12-02); the Compliance "
    "Document 24.11 (https://docs.gaia-x.eu/policy-rules-committee/compliance-document/24.11/"
    "criteria_cloud_services) was found but its criteria rows could not be read here, so the "
    "current wording is not confirmed."
)
_BASE_NOTE = (
    "Number from the Gaia-X Policy Rules / Compliance Document numbering. A Gaia-X compliance "
    "tool's criteria table lists it among the criteria every level needs (Standard Compliance); "
    "the text of the criterion was not found in the copies searched, so its exact wording is "
    "not confirmed."
)


class Rule(BaseModel):
    """Base of every rule: the class carries the documentation, the instance the parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: ClassVar[str]
    rationale: ClassVar[str]
    criterion: ClassVar[str]
    checks: ClassVar[str]
    facts: ClassVar[tuple[str, ...]]
    source_note: ClassVar[str] = ""

    def evaluate(self, subject: Subject) -> Finding:
        """The finding of this rule for one placement."""
        raise NotImplementedError

    def parameters(self) -> dict[str, object]:
        """The rule's parameters (everything but its id)."""
        return self.model_dump(mode="json", exclude={"id"})

    def _found(self, outcome: Outcome, message: str) -> Finding:
        return Finding(self.id, outcome, message, self.criterion)

    def _unknown_provider(self, subject: Subject) -> Finding | None:
        if subject.provider_name is None:
            return self._found(Outcome.UNKNOWN, "the provider could not be resolved")
        if subject.provider is None:
            return self._found(
                Outcome.UNKNOWN, f"provider {subject.provider_name!r} is not in the catalog"
            )
        return None

    def _unknown_region(self, subject: Subject) -> Finding | None:
        missing = self._unknown_provider(subject)
        if missing is not None:
            return missing
        if subject.region_name is None:
            return self._found(Outcome.UNKNOWN, "the region could not be resolved")
        if subject.region is None:
            return self._found(
                Outcome.UNKNOWN,
                f"region {subject.region_name!r} of {subject.provider_name} is not in the catalog",
            )
        return None


def _countries(value: list[str]) -> list[str]:
    for code in value:
        if not is_country(code):
            raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {code!r}")
    return value


class DataLocation(Rule):
    """Data stays in the EU/EEA: the region's country must be in the area."""

    id: Literal["data-location-eu"] = "data-location-eu"
    area: Area = Field(default="eea", description="eu (27 member states) or eea (EU + IS, LI, NO)")
    title: ClassVar[str] = "Data location in the EU/EEA"
    rationale: ClassVar[str] = (
        "Data stored and processed inside the EU/EEA stays under EU law (GDPR) and EU courts."
    )
    criterion: ClassVar[str] = (
        "Gaia-X P5.1.2: data stored and processed only in the EU/EEA (Label Level 3); "
        "P5.1.1: the option of an EU/EEA location is offered (Label Level 2)"
    )
    source_note: ClassVar[str] = _P51_NOTE
    checks: ClassVar[str] = (
        "The country of the placement's region is in the EU (or EEA); for object storage with "
        "regions of its own, the storage region's country."
    )
    facts: ClassVar[tuple[str, ...]] = (
        "regions.<region>.country",
        "capabilities.<capability>.own_regions.<region>.country",
    )

    def evaluate(self, subject: Subject) -> Finding:
        """PASS inside the area, FAIL outside, UNKNOWN when the region is not known."""
        missing = self._unknown_region(subject)
        if missing is not None:
            return missing
        where = f"{subject.describe()} is in {subject.country}"
        if subject.country in AREAS[self.area]:
            return self._found(Outcome.PASS, f"{where}, inside the {self.area.upper()}")
        return self._found(Outcome.FAIL, f"{where}, outside the {self.area.upper()}")


class Headquarters(Rule):
    """The provider's headquarters are in the EU/EEA."""

    id: Literal["headquarters-eu"] = "headquarters-eu"
    area: Area = "eea"
    title: ClassVar[str] = "Provider headquarters in the EU/EEA"
    rationale: ClassVar[str] = (
        "A provider registered in the EU/EEA answers first to EU law, not to a foreign one."
    )
    criterion: ClassVar[str] = (
        "Gaia-X P5.1.4: the provider's registered head office is in the EU/EEA (Label Level 3)"
    )
    source_note: ClassVar[str] = _P51_NOTE
    checks: ClassVar[str] = (
        "The headquarters country of the contracting entity is in the EU (or EEA): the "
        "region's own entity where the catalog names one (verified), else the provider's."
    )
    facts: ClassVar[tuple[str, ...]] = ("headquarters", "regions.<region>.entity.headquarters")

    def evaluate(self, subject: Subject) -> Finding:
        """PASS inside the area, FAIL outside, UNKNOWN for a provider not in the catalog."""
        missing = self._unknown_provider(subject)
        if missing is not None:
            return missing
        assert subject.provider is not None
        entity = subject.entity
        if entity is not None and entity.unverified:
            return self._found(
                Outcome.UNKNOWN,
                f"{subject.describe()} is contracted by {entity.legal_name}, whose catalog entry "
                f"is unverified (source {entity.source}, as of {entity.as_of})",
            )
        if entity is not None:
            hq = entity.headquarters
            where = (
                f"{subject.describe()} is contracted by {entity.legal_name}, headquartered in "
                f"{hq} (source {entity.source})"
            )
        else:
            hq = subject.provider.headquarters
            where = f"{subject.provider_name} is headquartered in {hq}"
        if hq in AREAS[self.area]:
            return self._found(Outcome.PASS, f"{where}, inside the {self.area.upper()}")
        return self._found(Outcome.FAIL, f"{where}, outside the {self.area.upper()}")


class NoNonEuControl(Rule):
    """No control of the provider from outside the EU/EEA."""

    id: Literal["no-non-eu-control"] = "no-non-eu-control"
    title: ClassVar[str] = "No control by non-EU/EEA shareholders"
    rationale: ClassVar[str] = (
        "A provider controlled from abroad can be compelled by foreign law to hand over data."
    )
    criterion: ClassVar[str] = (
        "Gaia-X P5.1.5: the provider is not controlled, directly or indirectly, by entities "
        "headquartered outside the EU/EEA (Label Level 3)"
    )
    source_note: ClassVar[str] = _P51_NOTE
    checks: ClassVar[str] = (
        "The catalog fact non_eu_control is false, from a verified source: the region's own "
        "entity's fact where the catalog names one, else the provider's fact for the placement."
    )
    facts: ClassVar[tuple[str, ...]] = (
        "facts.non_eu_control",
        "regions.<region>.entity.non_eu_control",
    )

    def evaluate(self, subject: Subject) -> Finding:
        """PASS when verified free of non-EU control, FAIL when controlled, else UNKNOWN."""
        missing = self._unknown_provider(subject)
        if missing is not None:
            return missing
        assert subject.provider is not None
        entity = subject.entity
        if entity is not None:
            who = entity.legal_name
            fact = entity.non_eu_control
            if fact is None or fact.unverified:
                state = "no" if fact is None else "an unverified"
                return self._found(
                    Outcome.UNKNOWN,
                    f"{subject.describe()} is contracted by {who}, for which the catalog has "
                    f"{state} non_eu_control fact",
                )
        else:
            who = str(subject.provider_name)
            fact, why = subject.fact("non_eu_control")  # type: ignore[assignment]
            if fact is None:
                return self._found(Outcome.UNKNOWN, why)
        cited = f"(source {fact.source}, as of {fact.as_of})"
        if fact.value is False:
            return self._found(
                Outcome.PASS, f"{who} is not controlled from outside the EU/EEA {cited}"
            )
        return self._found(Outcome.FAIL, f"{who} is controlled from outside the EU/EEA {cited}")


class ProcessingLocationDeclared(Rule):
    """The provider declares where the region processes data (the catalog lists it with a country)."""

    id: Literal["processing-location-declared"] = "processing-location-declared"
    title: ClassVar[str] = "Processing location declared"
    rationale: ClassVar[str] = (
        "A location nobody declared cannot be checked against any other rule."
    )
    criterion: ClassVar[str] = (
        'Gaia-X P1.2.5: "The Provider shall declare the general location of physicals '
        'Resources at urban area level." (Standard Compliance)'
    )
    source_note: ClassVar[str] = _TABLE_NOTE + (
        " fedstack checks the country level only: a region the catalog lists with its country "
        "(and, for object storage with regions of its own, the storage region)."
    )
    checks: ClassVar[str] = (
        "The placement's region is one the catalog lists for the provider (or for the "
        "capability, when it has regions of its own), with its country."
    )
    facts: ClassVar[tuple[str, ...]] = ("regions", "capabilities.<capability>.own_regions")

    def evaluate(self, subject: Subject) -> Finding:
        """PASS for a listed region, FAIL for a region the provider does not declare."""
        missing = self._unknown_provider(subject)
        if missing is not None:
            return missing
        if subject.region_name is None:
            return self._found(Outcome.UNKNOWN, "the region could not be resolved")
        if subject.region is None:
            assert subject.provider is not None
            declared = (
                subject.provider.regions_for(subject.capability)
                if subject.capability in subject.provider.capabilities
                else subject.provider.regions
            )
            what = f" for {subject.capability}" if subject.capability else ""
            return self._found(
                Outcome.FAIL,
                f"{subject.provider_name} declares no region {subject.region_name!r}{what} in the "
                f"catalog (declared: {', '.join(sorted(declared))})",
            )
        return self._found(Outcome.PASS, f"{subject.describe()} is declared in {subject.country}")


class TransfersDisclosed(Rule):
    """The provider says whether, and to which extent, data goes to third countries (P2.2.3)."""

    id: Literal["third-country-transfers-disclosed"] = "third-country-transfers-disclosed"
    allowed_countries: list[str] = Field(
        default_factory=list,
        description="Organisation narrowing: third countries transfers may go to, when the "
        "provider lists them (ISO codes); an empty list checks disclosure only",
    )
    title: ClassVar[str] = "Third-country transfers disclosed"
    rationale: ClassVar[str] = (
        "Data sent outside the EU/EEA leaves EU protection; a user must know whether it may go."
    )
    criterion: ClassVar[str] = (
        'Gaia-X P2.2.3: "The Provider shall clearly define if and to which extent third '
        'country transfer will take place." (Standard Compliance)'
    )
    source_note: ClassVar[str] = _TABLE_NOTE + (
        " The list of countries and the Chapter V safeguards are P2.2.4, checked by "
        "third-country-transfers-safeguarded."
    )
    checks: ClassVar[str] = (
        "The catalog fact third_country_transfers is verified and says whether transfers "
        "happen, and when they do, to which extent; with allowed_countries, every listed third "
        "country is allowed."
    )
    facts: ClassVar[tuple[str, ...]] = ("facts.third_country_transfers",)

    _check = field_validator("allowed_countries")(_countries)

    def evaluate(self, subject: Subject) -> Finding:
        """PASS when disclosed (and allowed), FAIL when the extent is missing, else UNKNOWN."""
        missing = self._unknown_provider(subject)
        if missing is not None:
            return missing
        fact, why = subject.fact("third_country_transfers")
        if fact is None:
            return self._found(Outcome.UNKNOWN, why)
        value = _transfers(fact.value)
        who, cited = subject.provider_name, f"(source {fact.source}, as of {fact.as_of})"
        if not value.transfers:
            return self._found(Outcome.PASS, f"{who} states no third-country transfers {cited}")
        if not value.extent.strip():
            return self._found(
                Outcome.FAIL,
                f"{who} states that transfers to third countries happen but not to which "
                f"extent {cited}",
            )
        refused = [
            c
            for c in value.countries or []
            if self.allowed_countries and c not in EEA and c not in self.allowed_countries
        ]
        if refused:
            return self._found(
                Outcome.FAIL,
                f"{who} transfers to {', '.join(sorted(refused))}, which the policy does not "
                f"allow {cited}",
            )
        return self._found(
            Outcome.PASS, f"{who} discloses third-country transfers: {value.extent} {cited}"
        )


class TransfersSafeguarded(Rule):
    """The third countries are listed and each transfer rests on a GDPR Chapter V ground (P2.2.4)."""

    id: Literal["third-country-transfers-safeguarded"] = "third-country-transfers-safeguarded"
    allowed_countries: list[str] = Field(
        default_factory=list, description="Third countries the policy accepts (ISO codes)"
    )
    title: ClassVar[str] = "Third-country transfers listed and safeguarded"
    rationale: ClassVar[str] = (
        "A transfer is lawful only on a Chapter V ground (adequacy, SCCs, BCRs, derogation)."
    )
    criterion: ClassVar[str] = (
        'Gaia-X P2.2.4: "The Provider shall clearly define if and to the extent third country '
        "transfers will take place, and by which means of Chapter V GDPR these transfers will "
        'be protected." (Label Level 1)'
    )
    source_note: ClassVar[str] = _TABLE_NOTE
    checks: ClassVar[str] = (
        "The verified fact third_country_transfers states no transfers, or lists the third "
        "countries with at least one Chapter V safeguard; with allowed_countries, only those."
    )
    facts: ClassVar[tuple[str, ...]] = ("facts.third_country_transfers",)

    _check = field_validator("allowed_countries")(_countries)

    def evaluate(self, subject: Subject) -> Finding:
        """PASS listed and safeguarded, FAIL unsafeguarded or refused, UNKNOWN not listed."""
        missing = self._unknown_provider(subject)
        if missing is not None:
            return missing
        fact, why = subject.fact("third_country_transfers")
        if fact is None:
            return self._found(Outcome.UNKNOWN, why)
        value = _transfers(fact.value)
        who, cited = subject.provider_name, f"(source {fact.source}, as of {fact.as_of})"
        if not value.transfers:
            return self._found(Outcome.PASS, f"{who} states no third-country transfers {cited}")
        if value.countries is None:
            return self._found(
                Outcome.UNKNOWN, f"{who} does not list the third countries transfers go to {cited}"
            )
        third = sorted({c for c in value.countries if c not in EEA})
        if third and not value.safeguards:
            return self._found(
                Outcome.FAIL,
                f"{who} transfers to {', '.join(third)} without a stated Chapter V safeguard "
                f"{cited}",
            )
        refused = [c for c in third if self.allowed_countries and c not in self.allowed_countries]
        if refused:
            return self._found(
                Outcome.FAIL,
                f"{who} transfers to {', '.join(refused)}, which the policy does not allow {cited}",
            )
        return self._found(
            Outcome.PASS,
            f"{who} transfers to {', '.join(third) or 'no third country'} under "
            f"{', '.join(value.safeguards) or 'no safeguard needed'} {cited}",
        )


def _transfers(value: object) -> Transfers:
    return value if isinstance(value, Transfers) else Transfers.model_validate(value)


class TechnologySupplierEu(Rule):
    """The cloud technology the provider operates is supplied from inside the EU/EEA."""

    id: Literal["technology-supplier-eu"] = "technology-supplier-eu"
    area: Area = "eea"
    title: ClassVar[str] = "Technology supplier in the EU/EEA"
    rationale: ClassVar[str] = (
        "A provider running a non-EU vendor's stack (under licence) depends on that vendor for "
        "updates and support, whatever its own qualification says."
    )
    criterion: ClassVar[str] = (
        "Organisation policy (no Gaia-X criterion; related to P5.1.x European Control, whose "
        "texts were not confirmed)"
    )
    checks: ClassVar[str] = (
        "The verified fact technology_supplier_country names a country in the EU (or EEA)."
    )
    facts: ClassVar[tuple[str, ...]] = (
        "facts.technology_supplier",
        "facts.technology_supplier_country",
    )

    def evaluate(self, subject: Subject) -> Finding:
        """PASS supplied from inside the area, FAIL from outside, UNKNOWN when not stated."""
        missing = self._unknown_provider(subject)
        if missing is not None:
            return missing
        fact, why = subject.fact("technology_supplier_country")
        if fact is None:
            return self._found(Outcome.UNKNOWN, why)
        supplier, _ = subject.fact("technology_supplier")
        named = f"{supplier.value} ({fact.value})" if supplier is not None else str(fact.value)
        where = (
            f"{subject.provider_name} runs technology supplied by {named} (source {fact.source})"
        )
        if fact.value in AREAS[self.area]:
            return self._found(Outcome.PASS, f"{where}, inside the {self.area.upper()}")
        return self._found(Outcome.FAIL, f"{where}, outside the {self.area.upper()}")


class Certifications(Rule):
    """The provider holds every required certification."""

    id: Literal["certifications"] = "certifications"
    required: list[Literal["secnumcloud", "bsi_c5"]] = Field(min_length=1)
    title: ClassVar[str] = "Required certifications"
    rationale: ClassVar[str] = (
        "National schemes (SecNumCloud, BSI C5) are audited proof of security and immunity claims."
    )
    criterion: ClassVar[str] = (
        "National certification schemes: ANSSI SecNumCloud, BSI C5 (Gaia-X accepts such "
        "schemes as evidence for its cybersecurity criteria; no single criterion number)"
    )
    checks: ClassVar[str] = (
        "Each required certification fact (secnumcloud, bsi_c5) whose scope covers the "
        "placement (offering, region, capability; else provider-wide) is true and verified."
    )
    facts: ClassVar[tuple[str, ...]] = ("facts.secnumcloud", "facts.bsi_c5")

    def evaluate(self, subject: Subject) -> Finding:
        """PASS when all are held, FAIL when one is not, UNKNOWN when one cannot be proven."""
        missing = self._unknown_provider(subject)
        if missing is not None:
            return missing
        assert subject.provider is not None
        outcomes: list[Outcome] = []
        parts: list[str] = []
        for name in self.required:
            label = CERTIFICATIONS[name]
            fact, why = subject.fact(name)
            if fact is None:
                outcomes.append(Outcome.UNKNOWN)
                parts.append(f"{label}: unknown ({why})")
            elif fact.value is True:
                outcomes.append(Outcome.PASS)
                parts.append(f"{label}: held (source {fact.source})")
            else:
                outcomes.append(Outcome.FAIL)
                parts.append(f"{label}: not held (source {fact.source})")
        return self._found(worst(outcomes), f"{subject.provider_name}: " + "; ".join(parts))


class MinGaiaXLabel(Rule):
    """The provider's Gaia-X label is at least the required level."""

    id: Literal["gaia-x-label-min"] = "gaia-x-label-min"
    level: Literal[GAIA_X_LEVELS[1:]]  # type: ignore[valid-type]
    title: ClassVar[str] = "Minimum Gaia-X label level"
    rationale: ClassVar[str] = (
        "A Gaia-X label is third-party evidence of a whole set of criteria at once."
    )
    criterion: ClassVar[str] = (
        "Gaia-X Compliance: Standard Compliance and Label Levels 1 to 3 (Gaia-X Labelling "
        "Framework)"
    )
    checks: ClassVar[str] = (
        "The catalog fact gaia_x_label whose scope covers the placement (labels are issued per "
        f"service offering) is verified and at least the level ({', '.join(GAIA_X_LEVELS)})."
    )
    facts: ClassVar[tuple[str, ...]] = ("facts.gaia_x_label",)

    def evaluate(self, subject: Subject) -> Finding:
        """PASS at or above the level, FAIL below, UNKNOWN when missing or unverified."""
        missing = self._unknown_provider(subject)
        if missing is not None:
            return missing
        assert subject.provider is not None
        fact, why = subject.fact("gaia_x_label")
        if fact is None:
            return self._found(Outcome.UNKNOWN, why)
        has = GAIA_X_LEVELS.index(str(fact.value))
        needs = GAIA_X_LEVELS.index(self.level)
        outcome = Outcome.PASS if has >= needs else Outcome.FAIL
        relation = "meets" if has >= needs else "is below"
        return self._found(
            outcome,
            f"{subject.provider_name} has Gaia-X {fact.value}, which {relation} {self.level} "
            f"(source {fact.source}, as of {fact.as_of})",
        )


class AllowedProviders(Rule):
    """Only the listed providers may be used."""

    id: Literal["providers-allowed"] = "providers-allowed"
    providers: list[str] = Field(min_length=1)
    title: ClassVar[str] = "Allowed providers"
    rationale: ClassVar[str] = "An organisation may have contracts with some providers only."
    criterion: ClassVar[str] = "Organisation policy (no Gaia-X criterion)"
    checks: ClassVar[str] = "The placement's provider is one of the listed catalog providers."
    facts: ClassVar[tuple[str, ...]] = ("provider name",)

    def evaluate(self, subject: Subject) -> Finding:
        """PASS for a listed provider, FAIL otherwise, UNKNOWN when unresolved."""
        if subject.provider_name is None:
            return self._found(Outcome.UNKNOWN, "the provider could not be resolved")
        if subject.provider_name in self.providers:
            return self._found(Outcome.PASS, f"{subject.provider_name} is an allowed provider")
        return self._found(
            Outcome.FAIL,
            f"{subject.provider_name} is not an allowed provider "
            f"(allowed: {', '.join(self.providers)})",
        )


class DeniedProviders(Rule):
    """The listed providers must not be used."""

    id: Literal["providers-denied"] = "providers-denied"
    providers: list[str] = Field(min_length=1)
    title: ClassVar[str] = "Denied providers"
    rationale: ClassVar[str] = "An organisation may exclude providers it has no contract with."
    criterion: ClassVar[str] = "Organisation policy (no Gaia-X criterion)"
    checks: ClassVar[str] = "The placement's provider is none of the listed providers."
    facts: ClassVar[tuple[str, ...]] = ("provider name",)

    def evaluate(self, subject: Subject) -> Finding:
        """FAIL for a listed provider, PASS otherwise, UNKNOWN when unresolved."""
        if subject.provider_name is None:
            return self._found(Outcome.UNKNOWN, "the provider could not be resolved")
        if subject.provider_name in self.providers:
            return self._found(Outcome.FAIL, f"{subject.provider_name} is a denied provider")
        return self._found(Outcome.PASS, f"{subject.provider_name} is not a denied provider")


class AllowedCountries(Rule):
    """Data may only be located in the listed countries."""

    id: Literal["countries-allowed"] = "countries-allowed"
    countries: list[str] = Field(min_length=1, description="ISO 3166-1 alpha-2 codes")
    title: ClassVar[str] = "Allowed countries"
    rationale: ClassVar[str] = (
        "Some data (health, public sector) must stay in named countries, not just in the EU."
    )
    criterion: ClassVar[str] = (
        "Organisation policy; narrows Gaia-X P5.1.2 (data location) to named countries"
    )
    checks: ClassVar[str] = "The country of the placement's region is one of the listed countries."
    facts: ClassVar[tuple[str, ...]] = ("regions.<region>.country",)

    _check = field_validator("countries")(_countries)

    def evaluate(self, subject: Subject) -> Finding:
        """PASS in a listed country, FAIL elsewhere, UNKNOWN when the region is not known."""
        missing = self._unknown_region(subject)
        if missing is not None:
            return missing
        if subject.country in self.countries:
            return self._found(
                Outcome.PASS, f"{subject.describe()} is in {subject.country}, an allowed country"
            )
        return self._found(
            Outcome.FAIL,
            f"{subject.describe()} is in {subject.country}, not an allowed country "
            f"(allowed: {', '.join(self.countries)})",
        )


class DeniedCountries(Rule):
    """Data must not be located in the listed countries."""

    id: Literal["countries-denied"] = "countries-denied"
    countries: list[str] = Field(min_length=1, description="ISO 3166-1 alpha-2 codes")
    title: ClassVar[str] = "Denied countries"
    rationale: ClassVar[str] = "Some countries are excluded by contract, sanctions or risk."
    criterion: ClassVar[str] = "Organisation policy (no Gaia-X criterion)"
    checks: ClassVar[str] = "The country of the placement's region is none of the listed countries."
    facts: ClassVar[tuple[str, ...]] = ("regions.<region>.country",)

    _check = field_validator("countries")(_countries)

    def evaluate(self, subject: Subject) -> Finding:
        """FAIL in a listed country, PASS elsewhere, UNKNOWN when the region is not known."""
        missing = self._unknown_region(subject)
        if missing is not None:
            return missing
        if subject.country in self.countries:
            return self._found(
                Outcome.FAIL, f"{subject.describe()} is in {subject.country}, a denied country"
            )
        return self._found(
            Outcome.PASS, f"{subject.describe()} is in {subject.country}, not a denied country"
        )


RULE_TYPES: tuple[type[Rule], ...] = (
    DataLocation,
    ProcessingLocationDeclared,
    TransfersDisclosed,
    TransfersSafeguarded,
    Headquarters,
    NoNonEuControl,
    TechnologySupplierEu,
    Certifications,
    MinGaiaXLabel,
    AllowedProviders,
    DeniedProviders,
    AllowedCountries,
    DeniedCountries,
)
"""Every rule type, in documentation order."""

AnyRule = Annotated[
    DataLocation
    | ProcessingLocationDeclared
    | TransfersDisclosed
    | TransfersSafeguarded
    | Headquarters
    | NoNonEuControl
    | TechnologySupplierEu
    | Certifications
    | MinGaiaXLabel
    | AllowedProviders
    | DeniedProviders
    | AllowedCountries
    | DeniedCountries,
    Field(discriminator="id"),
]
"""One rule of a policy file, told apart by its `id`."""
