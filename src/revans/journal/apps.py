import warnings

from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "revans.journal"
    label = "journal"
    verbose_name = "Learning logs"

    def ready(self) -> None:
        from PIL import Image

        from .media import MAX_PIXELS

        # Pillow's own check of a picture's declared size, at our limit and always as an error
        # (it only warns below twice its limit): wherever Revans opens an image, a bomb is
        # refused before it is decoded.
        Image.MAX_IMAGE_PIXELS = MAX_PIXELS
        warnings.simplefilter("error", Image.DecompressionBombWarning)
