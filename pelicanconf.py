"""Pelican settings for the demo site (development). See docs/maintaining.md."""

SITENAME = "Mind Wellness Q&A"
SITEURL = ""
AUTHOR = "Mind Wellness community"
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["qasite"]

# The qasite plugin reads content/ itself (questions, answers, people, pages):
# Pelican's own article and page readers and direct templates stay off.
ARTICLE_PATHS: list[str] = []
PAGE_PATHS: list[str] = []
DIRECT_TEMPLATES: list[str] = []
STATIC_PATHS = ["images"]
THEME_STATIC_DIR = "theme"
TAG_SAVE_AS = CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
RELATIVE_URLS = False
CACHE_CONTENT = False

QA_SITE_DESCRIPTION = (
    "Answers from members and licensed therapists to questions about mental health, therapy and relationships."
)
QA_PER_PAGE = 30
QA_REPO_URL = ""
# Crisis helplines (content/helplines.yml): this country's come first on /help/ and in the notice.
QA_DEFAULT_COUNTRY = "GB"
