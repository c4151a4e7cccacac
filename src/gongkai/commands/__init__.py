"""Sub-commands that live in modules of their own (each has ``register(subparsers)``)."""
