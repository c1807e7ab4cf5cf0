"""Every write to a council's data bumps its data version, in the transaction that makes it.

Connected to the post_save and post_delete of every CouncilData model (councils/models.py).
"""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from .models import CouncilData


def bump_data_version(sender, instance: CouncilData, **kwargs) -> None:
    instance.changed_councils().bump_data_version()


def connect() -> None:
    for model in apps.get_models():
        if issubclass(model, CouncilData):
            for signal in (post_save, post_delete):
                signal.connect(
                    bump_data_version,
                    sender=model,
                    dispatch_uid=f"data_version.{signal is post_save}.{model._meta.label}",
                )
