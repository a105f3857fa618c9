"""fedstack.demo: the main job in one command, on the sandbox cloud (`fedstack demo`).

Starts a private bridge and private sandbox providers, places and deploys the federated example
app through the bridge, shows the inventory, changes resources out of band, runs drift and
tears it all down. Rendering is the caller's (a `DemoView`); nothing here prints. Must not
import cdktf (the app runs in its own process) nor the web framework at import time.
"""

from fedstack.demo._changes import OutOfBandChange, change_out_of_band, sandbox_client
from fedstack.demo._environment import DemoEnvironment, demo_environment
from fedstack.demo._flow import DemoOptions, DemoResult, DemoView, default_app, run_demo

__all__ = [
    "DemoEnvironment",
    "DemoOptions",
    "DemoResult",
    "DemoView",
    "OutOfBandChange",
    "change_out_of_band",
    "default_app",
    "demo_environment",
    "run_demo",
    "sandbox_client",
]
