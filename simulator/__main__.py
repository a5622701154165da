"""Command line: ``python -m simulator --cameras 5 --alerts-per-minute 6``."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
import logging
import signal

from .app import RhombusSimulator


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator",
        description="Fake Rhombus cloud (REST + STOMP over WebSocket) for development.",
    )
    parser.add_argument("--cameras", type=int, default=5, help="number of cameras")
    parser.add_argument(
        "--alerts-per-minute",
        type=float,
        default=4.0,
        help="random demo alerts per minute (0 disables the demo)",
    )
    parser.add_argument("--port", type=int, default=8080, help="port (0 = any free)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--api-key", default="sim-api-key", help="the accepted key")
    parser.add_argument("--org-name", default="Simulated Org", help="org display name")
    parser.add_argument("--seed", type=int, default=None, help="seed for repeatability")
    parser.add_argument(
        "--heartbeat-ms", type=int, default=10_000, help="STOMP heart-beat offered"
    )
    parser.add_argument(
        "--no-site",
        action="store_true",
        help="cameras only: no door, climate, occupancy, button or access devices",
    )
    parser.add_argument(
        "--site-interval",
        type=float,
        default=10.0,
        help="seconds between the demo site's reading drifts and events",
    )
    parser.add_argument(
        "--faults",
        action="store_true",
        help="let the demo also drop connections and stall the stream now and then",
    )
    return parser.parse_args(argv)


async def run(args: argparse.Namespace, stop: asyncio.Event | None = None) -> None:
    """Serve until SIGINT or SIGTERM (or ``stop`` is set), then shut down cleanly."""
    sim = RhombusSimulator(
        cameras=args.cameras,
        api_key=args.api_key,
        org_name=args.org_name,
        seed=args.seed,
        heartbeat_ms=args.heartbeat_ms,
        site=not args.no_site,
    )
    if stop is None:
        stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await sim.start(host=args.host, port=args.port)
        print(f"REST:      {sim.rest_url}")
        print(f"WebSocket: {sim.websocket_url}")
        print(f"Media:     {sim.media_url}")
        print(f"Org:       {sim.org_name} ({sim.org_uuid})")
        print(f"API key:   {args.api_key}")
        print(f"Cameras:   {len(sim.cameras)}")
        print(
            f"Site:      {len(sim.site.devices)} devices, {len(sim.site.doors)} doors"
        )
        print(flush=True, end="")
        if args.alerts_per_minute > 0:
            sim.start_scenario(args.alerts_per_minute, faults=args.faults)
        if not args.no_site and args.site_interval > 0:
            sim.start_site_drift(args.site_interval)
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        await sim.stop()
        print("Simulator stopped.", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point for ``python -m simulator``."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("aiohttp").setLevel(logging.WARNING)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
