"""`python -m fedstack.provider`: serve the provider to Terraform over the gRPC plugin protocol."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Run the plugin server; a missing `provider` extra is one clear line, not a traceback."""
    try:
        from tf.runner import run_provider
    except ImportError:
        print(
            "fedstack provider: the 'provider' extra is not installed: "
            "pip install 'fedstack[provider]'",
            file=sys.stderr,
        )
        sys.exit(1)
    from fedstack.provider._server import FedstackProvider

    run_provider(FedstackProvider(), sys.argv)
    # Terraform has said goodbye (Shutdown): skip the interpreter's teardown of grpc's threads
    # and every loaded module, half a second of each of the three starts of a plan.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
