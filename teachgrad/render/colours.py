"""The colours and font of every picture, shared with the widgets' tables.

The pictures read in light and dark JupyterLab themes alike: the background is transparent, but
every text sits on a filled shape (nodes, edge-label boxes, the caption) in dark ink, and lines
are drawn in mid tones that show on white and on black.

>>> MODE_COLOUR["reverse"], INK
('#c2255c', '#1f2933')
"""

__all__ = ["FONT", "INK", "MUTED", "LINE", "BORDER", "NODE_FILL", "INPUT_FILL", "LABEL_FILL",
           "CURRENT", "CURRENT_FILL", "PATH", "PATH_FILL", "FADED", "MODE_COLOUR"]

FONT = "Helvetica"
INK = "#1f2933"            # every text
MUTED = "#7b8794"          # "?" for a value not computed yet
LINE = "#8a94a6"           # edges and arrowheads
BORDER = "#52606d"         # node borders
NODE_FILL = "#ffffff"
INPUT_FILL = "#e3eefc"     # inputs: a pale blue, as colah draws the variables
LABEL_FILL = "#ffffff"     # the box behind each edge label
CURRENT = "#e8590c"        # the step being computed: its node border and the edges it reads
CURRENT_FILL = "#ffe8a3"
PATH = "#7048e8"           # a highlighted path
PATH_FILL = "#efe9ff"
FADED = "#b7bfcb"          # edges off the highlighted path
MODE_COLOUR = {"values": "#2b8a3e", "forward": "#1864ab", "reverse": "#c2255c"}
