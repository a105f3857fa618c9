"""The `fedstack` Terraform provider: a thin adapter over placement, policy, catalog and the bridge.

Installing (`install`) needs nothing beyond the core; serving (`python -m fedstack.provider`,
which Terraform runs through the installed launcher) needs the extra `provider` (the `tf`
framework and grpcio). Importing this package imports neither.
"""

from fedstack.provider._install import (
    HOSTNAME,
    NAMESPACE,
    SOURCE,
    TYPE,
    Installed,
    default_mirror,
    install,
    os_arch,
)

__all__ = [
    "HOSTNAME",
    "NAMESPACE",
    "SOURCE",
    "TYPE",
    "Installed",
    "default_mirror",
    "install",
    "os_arch",
]
