"""CelebA official layout -> aligned 128x128 faces and the standard split.

    python tools/dataset_converters/celeba.py CELEBA_ROOT --out data/celeba
CELEBA_ROOT holds img_align_celeba/ and list_eval_partition.txt (and
optionally list_landmarks_align_celeba.txt: used for alignment when present;
otherwise the mean CelebA landmarks are used). Output: images/ and
meta/{train,val,test}.txt (162,770 / 19,867 / 19,962 for the full set).
"""

from fcsr_mm.data.cli import converter_parser, run_converter
from fcsr_mm.data.face_converters import convert_celeba
from fcsr_mm.data.io import default_workers


def parse_args(argv=None):
    p = converter_parser(__doc__, 'CelebA folder')
    p.add_argument('--ext', default='.jpg', choices=['.jpg', '.png'])
    p.add_argument('--limit', type=int, help='only the first N of each split')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    run_converter(convert_celeba, args.root, args.out, args.ext,
                  default_workers(args.workers), overwrite=args.overwrite,
                  limit=args.limit)


if __name__ == '__main__':
    main()
