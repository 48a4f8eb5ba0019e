"""Helen official layout -> 9-class face-parser data (train 144, test 128).

    python tools/dataset_converters/helen.py HELEN_ROOT --out data/helen_parsing
HELEN_ROOT holds images/<name>.jpg, labels/<name>/<name>_lbl00..10.png,
exemplars.txt (2,000 train) and testing.txt (330 test). Faces are aligned on
the two eye centres; eyes and brows are merged (see fcsr_mm/data/face_labels.py).
"""

from fcsr_mm.data.cli import converter_parser, run_converter
from fcsr_mm.data.parser_converters import convert_helen
from fcsr_mm.data.io import default_workers


def parse_args(argv=None):
    p = converter_parser(__doc__, 'Helen folder')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    run_converter(convert_helen, args.root, args.out,
                  default_workers(args.workers), overwrite=args.overwrite)


if __name__ == '__main__':
    main()
