"""nieuwe-banen: composition pieces shared by the worker, the starter and the `nbm` CLI."""
