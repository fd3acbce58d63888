"""The reviewer workbench: one module per page family."""
