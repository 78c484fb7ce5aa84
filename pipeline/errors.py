"""The pipeline's own error type: one clear line for the user, no traceback."""


class PipelineError(Exception):
    """An input or rule problem the user can fix. ``exit_code`` is documented in the README."""

    def __init__(self, message: str, exit_code: int = 2):
        super().__init__(message)
        self.exit_code = exit_code
