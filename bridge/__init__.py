"""fedstack.bridge: the Terraform HTTP state backend, cross-provider inventory and reports.

Must start without Node: never imports cdktf or jsii.
"""

__all__: list[str] = []
