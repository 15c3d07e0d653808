// The visitor widget entry point; the widget itself arrives with its issue.
export {};
