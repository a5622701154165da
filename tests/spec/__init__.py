"""Checks against the official Rhombus API spec subsets."""
