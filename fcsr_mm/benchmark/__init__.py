"""The benchmark: restorers side by side on identical inputs (``rows``,
``report``), their cost (``restorer_cost``) and speed (``timing``,
``inference_speed``, ``train_speed``, ``speed_table``). It stands above the
API (``fcsr_mm.apis``), which builds the models it runs."""
