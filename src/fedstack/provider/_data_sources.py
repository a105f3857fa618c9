"""The data sources: placement, a policy check, a catalog provider, the inventory, stack outputs.

Each read calls the core (fedstack.placement, fedstack.policy, fedstack.catalog, the bridge
client) and reshapes its answer into the schema; no decision is made here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

from tf.iface import Config, DataSource, ReadDataContext, State
from tf.schema import Attribute, Schema
from tf.types import List, Map

from fedstack.provider._diagnostics import InputError, diagnose
from fedstack.provider._types import BOOL, STRING, object_list

if TYPE_CHECKING:
    from fedstack.placement import Decision
    from fedstack.provider._server import FedstackProvider

__all__ = ["DATA_SOURCES"]


def _arg(name: str, description: str, *, required: bool = False, kind: Any = STRING) -> Attribute:
    return Attribute(name, kind, description, required=required, optional=not required)


def _out(name: str, description: str, kind: Any = STRING, sensitive: bool = False) -> Attribute:
    return Attribute(name, kind, description, computed=True, sensitive=sensitive)


class _Base(DataSource):
    """Shared plumbing: the provider's context, and errors turned into diagnostics."""

    name: ClassVar[str]
    schema: ClassVar[Schema]

    def __init__(self, provider: FedstackProvider) -> None:
        self.context = provider.context

    @classmethod
    def get_name(cls) -> str:
        return cls.name

    @classmethod
    def get_schema(cls) -> Schema:
        return cls.schema

    def read(self, ctx: ReadDataContext, config: Config) -> State | None:
        with diagnose(ctx.diagnostics):
            return {**config, **self.fetch(config)}
        return None

    def fetch(self, config: Config) -> dict[str, Any]:
        """The computed attributes for `config`."""
        raise NotImplementedError


_REFUSED = object_list(provider=STRING, region=STRING, stage=STRING, rule=STRING, reason=STRING)
_FINDINGS = object_list(rule=STRING, outcome=STRING, reason=STRING, criterion=STRING)


class Placement(_Base):
    """`fedstack_placement`: where a component of one capability goes under a policy, and why."""

    name = "placement"
    schema = Schema(
        description="Place one component with fedstack's placement engine.",
        attributes=[
            _arg(
                "capability",
                "object_storage, network, compute, kubernetes or dns_record",
                required=True,
            ),
            _arg("policy", "A preset name or a policy YAML path (default eu-data-residency)."),
            _arg("countries", "Only regions in these ISO countries.", kind=List(STRING)),
            _arg("prefer", "Providers to prefer, best first.", kind=List(STRING)),
            _arg("avoid", "Providers never to use.", kind=List(STRING)),
            _arg("size", "Size class: xs, s, m, l or xl."),
            _arg("component", "The component's name in messages (default the capability)."),
            _out("provider", "Catalog provider chosen."),
            _out("region", "Catalog region chosen."),
            _out("country", "ISO country of the region."),
            _out("terraform_provider", "Source address of the Terraform provider, e.g. ovh/ovh."),
            _out("module", "fedstack module path, e.g. object_storage/ovh."),
            _out("why", "Why this candidate was taken."),
            _out("refused", "Every candidate not taken, with the stage and rule.", _REFUSED),
        ],
    )

    def fetch(self, config: Config) -> dict[str, Any]:
        from fedstack.catalog import CAPABILITIES
        from fedstack.placement import ComponentRequest, Placer, Requirements

        capability = config["capability"]
        if capability not in CAPABILITIES:
            raise InputError(
                "unknown capability",
                f"{capability!r} is not one of {', '.join(CAPABILITIES)}",
                ["capability"],
            )
        catalog = self.context.catalog()
        policy = self.context.policy(config.get("policy") or "eu-data-residency")
        requirements = Requirements(
            size=config.get("size"),
            countries=tuple(c.upper() for c in config["countries"])
            if config.get("countries")
            else None,
            prefer=tuple(config.get("prefer") or ()),
            avoid=tuple(config.get("avoid") or ()),
        )
        component = config.get("component") or capability
        request = ComponentRequest(component, capability, requirements)
        decision = Placer(catalog, policy, workload="terraform").place(request)
        provider = catalog.provider(str(decision.provider))
        return {
            "provider": decision.provider,
            "region": decision.region,
            "country": decision.country,
            "terraform_provider": provider.terraform_provider,
            "module": provider.capabilities[capability].module,
            "why": decision.why,
            "refused": _refused(decision),
        }


def _refused(decision: Decision) -> list[dict[str, str]]:
    refused = []
    for c in decision.candidates:
        if c.provider == decision.provider and c.region == decision.region:
            continue
        stage: str
        if c.reasons:
            first = c.reasons[0]
            stage, rule, reason = first.stage, first.rule, first.message
        else:
            stage, rule = "choice", "rank"
            reason = (
                f"acceptable, but {decision.provider}/{decision.region} ranks first: {decision.why}"
            )
        refused.append(
            {
                "provider": c.provider,
                "region": c.region,
                "stage": stage,
                "rule": rule,
                "reason": reason,
            }
        )
    return refused


class PolicyCheck(_Base):
    """`fedstack_policy_check`: one provider+region against a policy; `enforce` stops the plan."""

    name = "policy_check"
    schema = Schema(
        description="Check a placement against a sovereignty policy.",
        attributes=[
            _arg("policy", "A preset name or a policy YAML path.", required=True),
            _arg(
                "provider_name",
                "Catalog provider name (`provider` is reserved in HCL).",
                required=True,
            ),
            _arg("region", "Catalog region of that provider.", required=True),
            _arg("enforce", "Fail the read when the outcome is fail (default true).", kind=BOOL),
            _out("outcome", "pass, fail or unknown."),
            _out("findings", "Every rule's finding.", _FINDINGS),
        ],
    )

    def fetch(self, config: Config) -> dict[str, Any]:
        from fedstack.policy import Outcome

        policy = self.context.policy(config["policy"])
        self.context.region(config["provider_name"], config["region"])
        check = policy.check_placement(
            self.context.catalog(), config["provider_name"], config["region"]
        )
        if check.outcome is Outcome.FAIL and config.get("enforce") is not False:
            failure = check.failures()[0]
            raise InputError(
                f"policy {policy.name} refuses {config['provider_name']}/{config['region']}: "
                f"rule {failure.rule_id}",
                f"{failure.rule_id}: {failure.message} (criterion {failure.criterion}); "
                "set enforce = false to read the findings without failing",
                ["provider_name"],
            )
        return {
            "outcome": check.outcome.value,
            "findings": [
                {
                    "rule": f.rule_id,
                    "outcome": f.outcome.value,
                    "reason": f.message,
                    "criterion": f.criterion,
                }
                for f in check.findings
            ],
        }


class CatalogProvider(_Base):
    """`fedstack_catalog_provider`: one provider of the catalog, its regions and facts."""

    name = "catalog_provider"
    schema = Schema(
        description="A provider of the fedstack catalog.",
        attributes=[
            _arg("name", "Catalog provider name.", required=True),
            _out("legal_name", "The company's legal name."),
            _out("headquarters", "ISO country of the headquarters."),
            _out("terraform_provider", "Source address of its Terraform provider."),
            _out(
                "regions",
                "Its regions.",
                object_list(name=STRING, country=STRING, display_name=STRING),
            ),
            _out(
                "facts",
                "Jurisdiction facts with their source.",
                object_list(name=STRING, value=STRING, source=STRING, as_of=STRING, verified=BOOL),
            ),
        ],
    )

    def fetch(self, config: Config) -> dict[str, Any]:
        provider = self.context.provider(config["name"], "name")
        facts = []
        # Provider-wide and scoped facts alike (catalog v2); a structured value goes as JSON.
        for fact_name, fact in provider.facts.all():
            raw = fact.value
            if hasattr(raw, "model_dump"):
                raw = raw.model_dump(mode="json")
            value = raw if isinstance(raw, str) else json.dumps(raw)
            facts.append(
                {
                    "name": fact_name,
                    "value": value,
                    "source": fact.source,
                    "as_of": fact.as_of.isoformat(),
                    "verified": not fact.unverified,
                }
            )
        return {
            "legal_name": provider.legal_name,
            "headquarters": provider.headquarters,
            "terraform_provider": provider.terraform_provider,
            "regions": [
                {"name": name, "country": r.country, "display_name": r.display_name}
                for name, r in provider.regions.items()
            ],
            "facts": facts,
        }


_RESOURCES = object_list(
    project=STRING,
    stack=STRING,
    address=STRING,
    type=STRING,
    provider=STRING,
    region=STRING,
    country=STRING,
    attributes_json=STRING,
)


class Inventory(_Base):
    """`fedstack_inventory`: resources across every stack the token may see (masked by the bridge)."""

    name = "inventory"
    schema = Schema(
        description="Resources the bridge indexed, filtered.",
        attributes=[
            _arg("project", "Only this project."),
            _arg("stack", "Only this stack."),
            _arg("type", "Only this resource type."),
            _arg("country", "Only this ISO country."),
            _arg("provider_name", "Only this catalog provider (`provider` is reserved in HCL)."),
            _arg("query", "Text in the address or attributes."),
            _out("resources", "Matching resources, sensitive values masked.", _RESOURCES),
        ],
    )

    def fetch(self, config: Config) -> dict[str, Any]:
        bridge = self.context.bridge("fedstack_inventory")
        filters = {k: config.get(k) for k in ("project", "stack", "type", "country")}
        filters.update(provider=config.get("provider_name"), q=config.get("query"))
        # Bounded: at most _MAX_PAGES pages of 1,000 into one Terraform attribute.
        items = bridge.inventory_all(max_pages=_MAX_PAGES, **filters)
        return {
            "resources": [
                {
                    "project": item["project"],
                    "stack": item["stack"],
                    "address": item["address"],
                    "type": item["type"],
                    "provider": item["provider"],
                    "region": item["region"],
                    "country": item["country"],
                    "attributes_json": json.dumps(item["attributes"], sort_keys=True),
                }
                for item in items
            ]
        }


_MAX_PAGES = 100


class StackOutputs(_Base):
    """`fedstack_stack_outputs`: another stack's outputs, read from its state in the bridge."""

    name = "stack_outputs"
    schema = Schema(
        description="The outputs of another stack, from the bridge (a read token is enough).",
        attributes=[
            _arg("project", "The stack's project.", required=True),
            _arg("stack", "The stack's name.", required=True),
            _out("outputs", "Non-sensitive outputs; non-string values as JSON.", Map(STRING)),
            _out(
                "sensitive_outputs",
                "Outputs the state marks sensitive; non-string values as JSON.",
                Map(STRING),
                sensitive=True,
            ),
            _out("has_sensitive", "True when any output of the state is sensitive.", BOOL),
        ],
    )

    def fetch(self, config: Config) -> dict[str, Any]:
        project, stack = config["project"], config["stack"]
        body = self.context.bridge("fedstack_stack_outputs").state(project, stack)
        if body is None:
            raise InputError(f"stack {project}/{stack} has no state in the bridge", path=["stack"])
        outputs = json.loads(body).get("outputs") or {}
        plain = {k: _text(v.get("value")) for k, v in outputs.items() if not v.get("sensitive")}
        secret = {k: _text(v.get("value")) for k, v in outputs.items() if v.get("sensitive")}
        return {"outputs": plain, "sensitive_outputs": secret, "has_sensitive": bool(secret)}


def _text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


DATA_SOURCES: list[type[DataSource]] = [
    Placement,
    PolicyCheck,
    CatalogProvider,
    Inventory,
    StackOutputs,
]
