"""Per-class IoU and mIoU of a trained face parser on its validation set,
as a markdown table (the numbers of docs/parser.md).

    python tools/analysis/parser_iou.py CONFIG CHECKPOINT [--out table.md]
"""
import argparse
import os.path as osp
import time

import fcsr_mm  # noqa: F401


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument('--out', help='also write the table here')
    return p.parse_args(argv)


def evaluate(config: str, checkpoint: str):
    """Returns (class names, per-class IoU in %, mIoU in %, faces)."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import DefaultScope
    from mmseg.evaluation.metrics import IoUMetric
    from mmseg.registry import DATASETS

    from fcsr_mm.parsing import build_segmentor
    cfg = Config.fromfile(config)
    model = build_segmentor(config, checkpoint).eval()
    with DefaultScope.overwrite_default_scope('mmseg'):
        dataset = DATASETS.build(cfg.val_dataloader.dataset)
    classes = dataset.metainfo['classes']
    metric = IoUMetric(iou_metrics=['mIoU'])
    metric.dataset_meta = dataset.metainfo
    with torch.no_grad():
        for i in range(len(dataset)):
            sample = dataset[i]
            data = model.data_preprocessor(
                dict(inputs=[sample['inputs']],
                     data_samples=[sample['data_samples']]), False)
            preds = model.predict(data['inputs'], data['data_samples'])
            metric.process({}, [p.to_dict() for p in preds])
    results = list(zip(*metric.results))
    inter, union = (sum(results[k]) for k in (0, 1))
    iou = (inter / union).numpy() * 100
    return classes, iou, float(iou.mean()), len(dataset)


def main(argv=None):
    args = parse_args(argv)
    start = time.time()
    classes, iou, miou, n = evaluate(args.config, args.checkpoint)
    lines = ['| class | IoU (%) |', '|---|---|']
    lines += [f'| {c} | {v:.2f} |' for c, v in zip(classes, iou)]
    lines += [f'| **mean (mIoU)** | **{miou:.2f}** |']
    table = '\n'.join(lines) + '\n'
    print(f'{osp.basename(args.config)} on {n} validation faces '
          f'({time.time() - start:.0f} s):\n{table}')
    if args.out:
        with open(args.out, 'w') as f:
            f.write(table)
    return miou


if __name__ == '__main__':
    main()
