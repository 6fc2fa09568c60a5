"""The workflow: the state machine (pure), the use cases, and the background jobs."""
