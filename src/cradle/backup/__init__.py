"""Encrypted backups of the whole database (`cradle backup`, `cradle restore`)."""
