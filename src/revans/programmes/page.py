"""The programme page's parts from the apps above programmes (``core.parts``): forming its
sets from a cohort (formation). Each part gets the programme; the page is its managers' only."""

from revans.core.parts import PageParts

from .models import Programme

programme_page: PageParts[[Programme]] = PageParts()
