"""fedstack: describe a workload once, run it across European clouds, prove where it lives.

The top-level package holds what both halves share (errors, settings, the catalog, the
Terraform runner, the sandbox cloud) and must not import cdktf, jsii or the web framework:
the bridge starts without Node, and the CDK layer without a server.
"""

from fedstack.errors import FedstackError

__version__ = "0.1.0"

__all__ = ["FedstackError", "__version__"]
