"""For leadership: the portfolio judged once, the inventory, the data-flow map, the HTML
report."""
