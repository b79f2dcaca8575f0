"""Facebook Messenger: a webhook in, the Graph Send API out, the shared conversation between."""
