"""Questions asked of the loaded events: the prepared index and its disk form, filters,
region metrics, daily and weekly series, diplomatic events. Uses domain and storage."""
