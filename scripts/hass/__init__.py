"""A real Home Assistant process against the simulator: bootstrap, smoke, develop."""
