"""Every module keeps its capability's contract, checked statically (python-hcl2) and with Terraform.

Native-provider modules cannot be planned here (no provider binaries, no accounts): everything
that can be checked without a provider is checked for them; the sandbox modules are also
validated by Terraform here and applied for real in test_sandbox_modules.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from fedstack.catalog import CAPABILITIES, INTERFACES, load_catalog, modules_root
from fedstack.catalog._contract import check_catalog_tables, check_module, module_folders
from fedstack.catalog._hcl import read_module
from fedstack.cli import cli, main
from fedstack.errors import CatalogError
from fedstack.sandbox import SANDBOX_CREDENTIALS
from fedstack.terraform import Terraform
from fedstack.terraform._binary import find_binary

ROOT = modules_root()
FOLDERS = module_folders(ROOT)


def _id(folder: Path) -> str:
    return folder.relative_to(ROOT).as_posix()


def test_every_capability_has_an_interface_and_modules() -> None:
    assert set(INTERFACES) == set(CAPABILITIES)
    assert {folder.parent.name for folder in FOLDERS} == set(CAPABILITIES)


@pytest.mark.parametrize("folder", FOLDERS, ids=_id)
def test_module_keeps_its_capability_contract(folder: Path) -> None:
    assert check_module(folder, folder.parent.name) == []


@pytest.mark.parametrize("capability", CAPABILITIES)
def test_modules_of_one_capability_share_required_inputs_and_outputs(capability: str) -> None:
    specs = [read_module(f) for f in FOLDERS if f.parent.name == capability]
    assert len(specs) >= 2, f"{capability}: fewer than two modules to compare"
    required = [
        sorted((v.name, v.type) for v in spec.variables.values() if v.required) for spec in specs
    ]
    outputs = [sorted((o.name, o.sensitive) for o in spec.outputs.values()) for spec in specs]
    common = {o.name for o in INTERFACES[capability].outputs}
    outputs = [[o for o in out if o[0] in common] for out in outputs]
    assert all(r == required[0] for r in required), dict(
        zip([s.path.name for s in specs], required)
    )
    assert all(o == outputs[0] for o in outputs), dict(zip([s.path.name for s in specs], outputs))


def test_catalog_explains_missing_capabilities_and_matches_module_tables() -> None:
    assert check_catalog_tables(load_catalog()) == []


def test_a_module_region_table_lists_the_regions_its_capability_is_offered_in() -> None:
    # IONOS's de/fra/2 has a datacenter (network) but managed Kubernetes there was not read:
    # the kubernetes module's table stops before it, as the capability's region list does.
    catalog = load_catalog()
    ionos = catalog.provider("ionos")

    def with_regions(capability: str, regions: list[str] | None) -> list[str]:
        entry = ionos.capabilities[capability].model_copy(update={"regions": regions})
        provider = ionos.model_copy(
            update={"capabilities": {**ionos.capabilities, capability: entry}}
        )
        return check_catalog_tables(
            catalog.model_copy(update={"providers": {**catalog.providers, "ionos": provider}})
        )

    (widened,) = with_regions("kubernetes", None)
    assert "kubernetes/ionos/main.tf: local.regions" in widened and "'de-fra-2'" in widened
    (narrowed,) = with_regions("network", ["de-fra", "de-txl"])
    assert "network/ionos/main.tf" in narrowed
    assert "providers.ionos.capabilities.network.regions" in narrowed


# The argument that names where each object storage module creates the bucket (or the
# service that holds it): the region the caller's `location` (the placement) maps to.
STORAGE_REGION_ARGUMENT = {
    "ionos": ("ionoscloud_s3_bucket", "region"),
    "ovhcloud": ("ovh_cloud_project_storage", "region_name"),
    "upcloud": ("upcloud_managed_object_storage", "region"),
}


def _storage_regions() -> list[tuple[str, str]]:
    catalog = load_catalog()
    return [
        (name, region)
        for name, provider in catalog.providers.items()
        if provider.capabilities.get("object_storage") is not None
        and provider.capabilities["object_storage"].own_regions is not None
        for region in provider.regions_for("object_storage")
    ]


def _resource_argument(folder: Path, resource_type: str, argument: str) -> object:
    import hcl2

    with (folder / "main.tf").open() as handle:
        blocks = hcl2.load(handle).get("resource", [])
    (body,) = [
        named
        for block in blocks
        for type_, by_name in block.items()
        if type_.strip('"') == resource_type
        for named in by_name.values()
    ]
    return body[argument]


def test_every_provider_with_storage_regions_of_its_own_has_its_argument_listed() -> None:
    assert {name for name, _ in _storage_regions()} == set(STORAGE_REGION_ARGUMENT)


@pytest.mark.parametrize(("provider_name", "region"), _storage_regions(), ids="/".join)
def test_an_object_storage_module_creates_the_bucket_in_the_storage_region_placed(
    provider_name: str, region: str
) -> None:
    """Static (python-hcl2): the provider binaries are not here. The module's region argument
    is its storage_regions table at `location`, and that table gives the catalog's API name of
    the storage region placement chose; `location`'s validation accepts exactly those."""
    catalog = load_catalog()
    provider = catalog.provider(provider_name)
    folder = catalog.module_path(provider_name, "object_storage")
    resource_type, argument = STORAGE_REGION_ARGUMENT[provider_name]
    spec = read_module(folder)
    assert _resource_argument(folder, resource_type, argument) == (
        "${local.storage_regions[var.location]}"
    )
    assert spec.locals["storage_regions"][region] == provider.region_api_name(
        region, "object_storage"
    )
    (condition,) = spec.variables["location"].conditions
    listed = re.fullmatch(r"contains\((\[.*\]), var\.location\)", condition)
    assert listed is not None, condition
    assert json.loads(listed.group(1)) == list(provider.regions_for("object_storage"))


def test_ovhcloud_buckets_get_the_storage_api_name_and_endpoint_of_their_s3_region() -> None:
    ovh = load_catalog().provider("ovhcloud")
    table = read_module(ROOT / "object_storage" / "ovh").locals["storage_regions"]
    assert table["ap-southeast-syd"] == "AP-SOUTHEAST-SYD" and table["gra"] == "GRA"
    assert "syd" not in table  # Sydney's compute region, not a storage region
    assert ovh.s3_endpoint_for("ap-southeast-syd") == "https://s3.ap-southeast-syd.io.cloud.ovh.net"
    assert ovh.s3_endpoint_for("syd") is None


def test_modules_are_terraform_fmt_clean() -> None:
    binary = find_binary()
    done = subprocess.run(
        [binary.path, "fmt", "-check", "-recursive", "-list=true", str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"not fmt-clean: {done.stdout} {done.stderr}"


def test_module_readmes_are_rendered_from_their_variables() -> None:
    result = CliRunner().invoke(cli, ["modules", "docs", "--check", "--json"])
    assert result.exit_code == 0, result.output
    assert {Path(r["readme"]).parent for r in json.loads(result.output)} == set(FOLDERS)


# -- the checks themselves fail on a broken module ----------------------------------------------


def _broken_module(tmp_path: Path) -> Path:
    folder = tmp_path / "modules" / "dns_record" / "broken"
    shutil.copytree(ROOT / "dns_record" / "sandbox", folder)
    variables = (folder / "variables.tf").read_text()
    variables = variables.replace("  type        = number\n", "  type        = string\n", 1)
    variables += 'variable "zone_id" {\n  type = string\n}\n'
    (folder / "variables.tf").write_text(variables)
    outputs = (
        (folder / "outputs.tf")
        .read_text()
        .replace(
            '  description = "Fully qualified name of the record, without the trailing dot."\n', ""
        )
    )
    (folder / "outputs.tf").write_text(outputs)
    (folder / "main.tf").write_text(
        (folder / "main.tf").read_text()
        + '\nprovider "aws" {\n  region = "eu-west-3"\n}\n'
        + "locals {\n  typos = [var.recrods, local.fqnd, aws_route53_record.that.fqdn,"
        + " data.aws_route53_zone.other.id]\n}\n"
    )
    versions = (folder / "versions.tf").read_text().replace('">= 5.0, < 6.0"', '">= 5.0"')
    (folder / "versions.tf").write_text(versions)
    (folder / "README.md").unlink()
    return folder


def test_contract_check_names_each_breach_of_a_broken_module(tmp_path: Path) -> None:
    folder = _broken_module(tmp_path)
    problems = "\n".join(check_module(folder, "dns_record"))
    assert "missing README.md" in problems
    assert "variable 'ttl' has type string, the dns_record interface says number" in problems
    assert "variable 'zone_id' has no description" in problems
    assert "provider-specific variable 'zone_id' must be optional" in problems
    assert "output 'fqdn' has no description" in problems
    assert "configures provider 'aws'" in problems
    assert "version '>= 5.0' is not a range" in problems
    assert "var.recrods is used but not declared" in problems
    assert "local.fqnd is used but not defined" in problems
    assert "aws_route53_record.that is used but not declared" in problems
    assert "data.aws_route53_zone.other is used but not declared" in problems
    assert "variable 'zone_id' is declared but never used" in problems


def test_docs_check_fails_on_a_stale_readme_and_docs_repairs_it(tmp_path: Path) -> None:
    root = tmp_path / "modules"
    shutil.copytree(ROOT / "network" / "sandbox", root / "network" / "sandbox")
    variables = root / "network" / "sandbox" / "variables.tf"
    variables.write_text(
        variables.read_text()
        + '\nvariable "mtu" {\n  description = "MTU of the subnet."\n  type        = number\n'
        "  default     = 1500\n}\n"
    )
    runner = CliRunner()
    stale = runner.invoke(cli, ["modules", "docs", "--check", "--root", str(root)])
    assert stale.exit_code == 1
    assert "stale: " + str(root / "network" / "sandbox" / "README.md") in stale.output
    assert runner.invoke(cli, ["modules", "docs", "--root", str(root)]).exit_code == 0
    assert (
        "| `mtu` | MTU of the subnet. | `number` | `1500` | no |"
        in (root / "network" / "sandbox" / "README.md").read_text()
    )
    assert runner.invoke(cli, ["modules", "docs", "--check", "--root", str(root)]).exit_code == 0


# -- terraform validate, where a provider binary exists (the sandbox modules) -------------------


def test_sandbox_modules_pass_terraform_validate(tmp_path: Path) -> None:
    """One root calling every sandbox module: `init -backend=false` + `validate` checks them all."""
    catalog = load_catalog()
    calls = {
        "object_storage": {"name": "bucket-a", "location": "fr-par"},
        "network": {"name": "net-a", "cidr": "10.0.0.0/16", "location": "fr-par"},
        "compute": {
            "name": "vm-a",
            "size": "xs",
            "image": "debian-12",
            "location": "fr-par",
            "network_id": "${module.network.network_id}",
        },
        "dns_record": {"zone": "example.eu", "name": "www", "type": "A", "records": ["192.0.2.1"]},
    }
    root = {
        "terraform": {
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": "~> 5.0"}}
        },
        "module": {
            cap: {"source": str(catalog.module_path("sandbox-fr", cap)), **inputs}
            for cap, inputs in calls.items()
        },
    }
    assert set(calls) == set(catalog.provider("sandbox-fr").capabilities)
    (tmp_path / "main.tf.json").write_text(json.dumps(root))
    terraform = Terraform(tmp_path, env=SANDBOX_CREDENTIALS, timeout=300)
    terraform.init(backend=False)
    result = json.loads(terraform.run("validate", "-json", "-no-color", quiet=True))
    assert result["valid"], result["diagnostics"]


def test_module_with_broken_hcl_is_refused_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "modules" / "network" / "broken"
    shutil.copytree(ROOT / "network" / "sandbox", folder)
    (folder / "variables.tf").write_text('variable "name" {\n  type = \n')
    with pytest.raises(CatalogError, match=r"variables\.tf: cannot parse HCL"):
        check_module(folder, "network")


def test_modules_check_command_lists_problems_and_exits_1(tmp_path: Path) -> None:
    folder = _broken_module(tmp_path)
    catalog = tmp_path / "modules" / "catalog.yaml"
    catalog.write_text(
        "schema_version: 1\n"
        "providers:\n"
        "  example:\n"
        "    display_name: Example\n"
        "    legal_name: Example SAS\n"
        "    headquarters: FR\n"
        "    terraform_provider: hashicorp/aws\n"
        "    regions: {par: {country: FR}}\n"
        "    capabilities: {dns_record: {module: dns_record/broken}}\n"
    )
    result = CliRunner().invoke(cli, ["modules", "check", "--catalog", str(catalog), "--json"])
    assert result.exit_code == 1
    problems = json.loads(result.output)
    assert f"{folder}: missing README.md" in problems
    assert any("neither offered nor listed under unsupported" in p for p in problems)


def test_modules_check_command_passes_on_the_shipped_modules() -> None:
    result = CliRunner().invoke(cli, ["modules", "check", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_docs_on_a_readme_without_markers_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "modules"
    shutil.copytree(ROOT / "network" / "sandbox", root / "network" / "sandbox")
    readme = root / "network" / "sandbox" / "README.md"
    readme.write_text("# network\n\nno rendered section here\n")
    with pytest.raises(SystemExit) as exited:
        main(["modules", "docs", "--root", str(root)])
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(readme) in err[0] and "BEGIN_FEDSTACK_DOCS" in err[0]
    assert readme.read_text() == "# network\n\nno rendered section here\n"


_CALL = re.compile(r"(?<![\w.\"-])([a-z][a-z0-9_]*)\(")
_TYPE_CONSTRUCTORS = {"map", "list", "set", "object", "tuple", "optional"}


def test_modules_call_only_functions_terraform_has() -> None:
    """Function names checked against `terraform metadata functions`: no provider needed."""
    binary = find_binary()
    done = subprocess.run(
        [binary.path, "metadata", "functions", "-json"], capture_output=True, text=True, check=True
    )
    known = set(json.loads(done.stdout)["function_signatures"]) | _TYPE_CONSTRUCTORS
    called = {
        (folder.relative_to(ROOT).as_posix(), name)
        for folder in FOLDERS
        for name in _CALL.findall(read_module(folder).text)
    }
    assert len({name for _, name in called}) > 10, "the scan finds the modules' function calls"
    assert sorted((where, name) for where, name in called if name not in known) == []
