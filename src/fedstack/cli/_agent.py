"""`fedstack agent`: a Terraform agent for a Fulcrum pool, and what to register in Fulcrum core."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click

from fedstack import config
from fedstack.cli._output import print_json

__all__ = ["agent"]


@click.group()
def agent() -> None:
    """Join a Fulcrum pool (fulcrumproject/core) as a Terraform agent for one placement.

    \b
    Examples:
      fedstack agent service-types --provider sandbox-fr > types.json
      fedstack agent tags --provider sandbox-fr --region fr-par
      fedstack agent run --fulcrum http://127.0.0.1:3000 --token-file agent.token \\
          --provider sandbox-fr --region fr-par --bridge http://127.0.0.1:8080
    """


@agent.command()
@click.option(
    "--fulcrum",
    "fulcrum_url",
    required=True,
    metavar="URL",
    help="Fulcrum core base URL (…/api/v1 is added).",
)
@click.option(
    "--token-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File holding the agent's Fulcrum token (never pass a token on the command line).",
)
@click.option(
    "--provider",
    required=True,
    envvar=config.envvar("FEDSTACK_AGENT_PROVIDER"),
    help="Catalog provider this agent deploys to (FEDSTACK_AGENT_PROVIDER).",
)
@click.option(
    "--region",
    required=True,
    envvar=config.envvar("FEDSTACK_AGENT_REGION"),
    help="Region of that provider (FEDSTACK_AGENT_REGION).",
)
@click.option(
    "--bridge",
    envvar="FEDSTACK_BRIDGE_URL",
    metavar="URL",
    help="Bridge holding the services' state (default: FEDSTACK_BRIDGE_URL; token from FEDSTACK_BRIDGE_TOKEN or TF_HTTP_PASSWORD).",
)
@click.option(
    "--policy",
    "policy_name",
    default="eu-sovereign",
    show_default=True,
    help="Sovereignty policy: a preset name or a YAML file.",
)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Journal and service roots (default: FEDSTACK_HOME/agent/<provider>-<region>).",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(0.1, 3600),
    default=2.0,
    show_default=True,
    help="Seconds between polls.",
)
@click.option(
    "--drift-interval",
    type=click.FloatRange(1, 86400 * 7),
    default=900.0,
    show_default=True,
    help="Seconds between drift checks of the agent's services (SIGUSR1 runs one now).",
)
def run(
    fulcrum_url: str,
    token_file: Path,
    provider: str,
    region: str,
    bridge: str | None,
    policy_name: str,
    work_dir: Path | None,
    poll_interval: float,
    drift_interval: float,
) -> None:
    """Poll Fulcrum for jobs and deploy them; stop cleanly on SIGTERM or Ctrl-C.

    Status: Connected on start, Error while a health check fails, Disconnected on a clean stop.
    A job's message starts with its kind (policy:, quota:, terraform:, invalid:, locked:).

    \b
    Example:
      fedstack agent run --fulcrum http://127.0.0.1:3000 --token-file agent.token \\
          --provider sandbox-fr --region fr-par --bridge http://127.0.0.1:8080
    """
    from fedstack.agent import Agent, AgentError, AgentSettings
    from fedstack.policy import load_policy

    token = token_file.read_text().strip()
    if not token:
        raise AgentError(f"{token_file} is empty: it must hold the agent's Fulcrum token")
    bridge_url = (bridge or config.bridge_url() or "").rstrip("/")
    if not bridge_url:
        raise AgentError("no bridge: pass --bridge URL or set FEDSTACK_BRIDGE_URL")
    settings = AgentSettings(
        fulcrum_url=fulcrum_url,
        token=token,
        provider=provider,
        region=region,
        bridge_url=bridge_url,
        bridge_token=config.setting("FEDSTACK_BRIDGE_TOKEN") or config.setting("TF_HTTP_PASSWORD"),
        policy=load_policy(policy_name),
        work_dir=(work_dir or config.home() / "agent" / f"{provider}-{region}").resolve(),
        poll_interval=poll_interval,
        drift_interval=drift_interval,
        log=lambda line: print(line, file=sys.stderr, flush=True),
    )
    worker = Agent(settings)
    stop = threading.Event()

    def on_stop(*_: Any) -> None:
        stop.set()  # the job under way finishes first: Terraform is never cut off

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)
    signal.signal(signal.SIGUSR1, lambda *_: worker.request_drift())
    worker.run(stop)


@agent.command("service-types")
@click.option("--provider", help="Take labels and defaults from this provider's modules.")
@click.option(
    "--capability",
    "capabilities",
    multiple=True,
    help="Only these capabilities (repeatable; default: all the provider offers).",
)
def service_types(provider: str | None, capabilities: tuple[str, ...]) -> None:
    """Print Fulcrum service type and agent type definitions (JSON request bodies).

    \b
    Example:
      fedstack agent service-types --provider sandbox-fr --capability object_storage
    """
    from fedstack.agent import METRIC_TYPES, agent_type_definition, service_type_definition
    from fedstack.catalog import CAPABILITIES, load_catalog

    catalog = load_catalog()
    chosen = list(capabilities) or [
        c for c in CAPABILITIES if provider is None or c in catalog.provider(provider).capabilities
    ]
    for name in chosen:
        if name not in CAPABILITIES:
            raise click.BadParameter(
                f"{name!r}; known: {', '.join(CAPABILITIES)}", param_hint="--capability"
            )
    print_json(
        {
            "serviceTypes": [service_type_definition(c, catalog, provider) for c in chosen],
            "agentType": agent_type_definition(),
            "metricTypes": [
                {"name": name, "entityType": entity} for name, (entity, _) in METRIC_TYPES.items()
            ],
        }
    )


@agent.command()
@click.option("--provider", required=True, help="Catalog provider.")
@click.option("--region", required=True, help="Region of that provider.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array instead of one tag a line.")
def tags(provider: str, region: str, as_json: bool) -> None:
    """Print the agent tags carrying the placement's sovereignty facts.

    \b
    Example:
      fedstack agent tags --provider sandbox-fr --region fr-par --json
    """
    from fedstack.agent import placement_tags
    from fedstack.catalog import load_catalog
    from fedstack.errors import ConfigError

    catalog = load_catalog()
    if region not in catalog.provider(provider).regions:
        raise ConfigError(f"{region!r} is not a region of {provider}")
    found = placement_tags(catalog, provider, region)
    if as_json:
        print_json(found)
    else:
        sys.stdout.write("".join(f"{t}\n" for t in found))
