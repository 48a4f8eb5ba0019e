"""Median-frequency class weights of a face parser's training labels, for
``decode_head.loss_decode.class_weight`` (SegNet's class balancing).

    python tools/analysis/parser_class_weights.py CONFIG [--power 0.5] [--digits 3]

Prints each class's pixel share and weight, then the list for the config.
"""
import argparse
import os.path as osp

from mmengine.config import Config

from fcsr_mm.parsing.class_weights import (label_counts,
                                           median_frequency_weights)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config')
    p.add_argument('--power', type=float, default=1.0,
                   help='exponent of the weights (0.5: their square root)')
    p.add_argument('--digits', type=int, default=3)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    dataset = cfg.train_dataloader.dataset
    label_dir = osp.join(dataset.data_root,
                         dataset.data_prefix['seg_map_path'])
    from fcsr_mm.data.face_labels import FACE_CLASSES
    pixels, present, maps = label_counts(label_dir, len(FACE_CLASSES))
    weights = median_frequency_weights(pixels, present, args.power)
    print(f'{maps} label maps in {label_dir}')
    print('| class | pixel share (%) | weight |\n|---|---|---|')
    for name, n, w in zip(FACE_CLASSES, pixels, weights):
        print(f'| {name} | {100 * n / pixels.sum():.2f} | {w:.{args.digits}f} |')
    print('class_weight=[' + ', '.join(
        f'{w:.{args.digits}f}' for w in weights) + ']')
    return weights


if __name__ == '__main__':
    main()
