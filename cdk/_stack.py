"""FederatedStack: one Terraform stack per provider placement (provider + region) of a workload."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fedstack.cdk._aspect import PolicyAspect
from fedstack.cdk._lib import (
    Aspects,
    HttpBackend,
    LocalBackend,
    TerraformProvider,
    TerraformProviderGeneratorMetadata,
    TerraformStack,
)
from fedstack.cdk._model import Placement
from fedstack.cdk._providers import module_providers, provider_block

from fedstack import config
from fedstack.contracts import StackMetadata

if TYPE_CHECKING:
    from fedstack.cdk._app import FederatedApp

__all__ = ["FederatedStack", "stack_metadata"]


class _Provider(TerraformProvider):
    """A provider block without generated bindings: the modules carry the resource types."""


class FederatedStack(TerraformStack):
    """The stack of one workload at one provider and region: provider block, backend, policy aspect."""

    def __init__(self, app: FederatedApp, *, workload: str, provider: str, region: str) -> None:
        name = f"{workload}-{provider}-{region}"
        super().__init__(app, name)
        country = app.catalog.provider(provider).regions[region].country
        self.placement = Placement(provider, region, country)
        self.stack_name = name
        self.workload_name = workload
        self.project = app.project
        self._app = app
        self._configured: set[str] = set()
        _backend(self, app.project, name, app.bridge_url)
        Aspects.of(self).add(PolicyAspect(app))

    def require_providers(self, module_dir: Path) -> None:
        """Configure (once) every provider the module at `module_dir` requires."""
        for local_name, source, version in module_providers(module_dir):
            if local_name in self._configured:
                continue
            block = provider_block(
                self._app.catalog,
                self.placement.provider,
                self.placement.region,
                self._app.endpoints,
                local_name=local_name,
                source=source,
                version=version or None,
            )
            terraform_provider = _Provider(
                self,
                local_name,
                terraform_resource_type=local_name,
                terraform_provider_source=source,
                terraform_generator_metadata=TerraformProviderGeneratorMetadata(
                    provider_name=local_name, provider_version_constraint=block.version
                ),
            )
            for key, value in block.config.items():
                terraform_provider.add_override(key, value)
            self._configured.add(local_name)

    def metadata(self) -> StackMetadata:
        """The fedstack.json written beside cdk.tf.json (read by deploy, drift and the bridge)."""
        return stack_metadata(self)


def stack_metadata(stack: FederatedStack) -> StackMetadata:
    """Provider, region, project, workload and stack of a federated stack (the contracts' model)."""
    return StackMetadata(
        provider=stack.placement.provider,
        region=stack.placement.region,
        project=stack.project,
        workload=stack.workload_name,
        stack=stack.stack_name,
    )


def _backend(stack: TerraformStack, project: str, name: str, bridge_url: str | None) -> None:
    if bridge_url:
        address = f"{bridge_url}/v1/states/{project}/{name}"
        # No username or password here: Terraform reads TF_HTTP_USERNAME/TF_HTTP_PASSWORD.
        HttpBackend(
            stack,
            address=address,
            lock_address=f"{address}/lock",
            unlock_address=f"{address}/lock",
            lock_method="LOCK",
            unlock_method="UNLOCK",
        )
        return
    # Absolute, outside cdktf.out: state survives a re-synth and cross-stack remote-state
    # reads work from any stack folder.
    folder = config.home() / "states" / project
    folder.mkdir(parents=True, exist_ok=True)
    LocalBackend(stack, path=str(folder / f"{name}.tfstate"))
