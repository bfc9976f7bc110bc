"""What every layer shares: the QA_* settings, the problem types, and the site's addresses.

settings (QA_* defaults and the settings check), problems (Problem, the error types and their
formatting), urls (``Urls``: every address of the site), url_rules (the rules for QA_*_URL patterns),
clock (``today()``: QA_TODAY or the real date; the checks of the dated settings).
"""
