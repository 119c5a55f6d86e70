"""Section 3, hand-made files: one module per finding of issue #6, each case with its expected
outcome; ``section`` gathers and runs them."""
