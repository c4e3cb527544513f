"""A word for skl2onnx's users who have not called :func:`sknnfs.onnx.register`."""


class OnnxHintMixin:
    """Answer skl2onnx's first question about an estimator it does not know yet."""

    def onnx_shape_calculator(self):
        """Name :func:`sknnfs.onnx.register` if skl2onnx is used without it.

        skl2onnx calls this before looking up its registry: without
        ``register()`` it would fail with "Unable to find a shape calculator",
        and names nothing of sknnfs.

        Returns
        -------
        calculator : callable or None
            None once registered (skl2onnx's registry then answers).
        """
        from .onnx import _shape_calculator_hint

        return _shape_calculator_hint(self)
