"""`python -m fedstack.provider`: serve the provider to Terraform over the gRPC plugin protocol."""

from __future__ import annotations

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


if __name__ == "__main__":
    main()
