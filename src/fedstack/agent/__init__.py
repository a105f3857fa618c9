"""fedstack.agent: take part in a Fulcrum pool as a Terraform agent for one provider placement.

Fulcrum core (github.com/fulcrumproject/core) assigns jobs to agents; this agent deploys each
service from the capability's module with its state in the bridge, checks its policy first,
and reports drift and compliance as metric entries. Must not import cdktf, jsii or the web
framework: it speaks HTTP to Fulcrum and to the bridge, and runs Terraform.
"""

from fedstack.agent._agent import METRIC_TYPES, Agent, AgentSettings, PolicyRefusal
from fedstack.agent._definitions import (
    AGENT_TYPE_NAME,
    SERVICE_TYPE_PREFIX,
    agent_type_definition,
    capability_of,
    lifecycle_schema,
    placement_tags,
    service_type_definition,
)
from fedstack.agent._errors import AgentError, FulcrumError, JobFailure
from fedstack.agent._fulcrum import FulcrumClient, Job
from fedstack.agent._journal import Journal

__all__ = [
    "AGENT_TYPE_NAME",
    "METRIC_TYPES",
    "SERVICE_TYPE_PREFIX",
    "Agent",
    "AgentError",
    "AgentSettings",
    "FulcrumClient",
    "FulcrumError",
    "Job",
    "JobFailure",
    "Journal",
    "PolicyRefusal",
    "agent_type_definition",
    "capability_of",
    "lifecycle_schema",
    "placement_tags",
    "service_type_definition",
]
