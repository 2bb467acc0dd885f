from tillit._native import *

__version__: str
