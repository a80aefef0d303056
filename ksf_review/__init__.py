"""ksf-review: examiners review recorded customer-contact conversations for the KSF exam."""

__version__ = "0.1.0"
