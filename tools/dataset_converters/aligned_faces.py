"""A folder of aligned faces with split lists -> the project's face layout.

    python tools/dataset_converters/aligned_faces.py ../shared/data/celeba128 \
        --out data/celeba128
The input has images/ and meta/{train,val,test}.txt (the layout of
../shared/data/celeba128). Every image is checked; non-128 images are resized.
"""

from fcsr_mm.data.cli import converter_parser, run_converter
from fcsr_mm.data.face_converters import convert_aligned_folder
from fcsr_mm.data.io import default_workers


def parse_args(argv=None):
    p = converter_parser(__doc__, 'folder with images/ and meta/')
    p.add_argument('--size', type=int, default=128)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    run_converter(convert_aligned_folder, args.root, args.out, args.size,
                  default_workers(args.workers), overwrite=args.overwrite)


if __name__ == '__main__':
    main()
