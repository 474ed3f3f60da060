"""Thin views: find what the user may see, validate, call one service, redirect."""
