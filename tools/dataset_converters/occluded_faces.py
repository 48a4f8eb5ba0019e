"""Aligned faces with synthetic occluders (+ CelebAMask-HQ's real eyeglasses
and hats) -> training data of the occlusion segmenter.

    python tools/dataset_converters/occluded_faces.py data/celeba128 \
        --celebamask ../shared/data/celebamask_hq --out data/occluded_faces
ROOT holds aligned faces (images/, meta/train.txt, meta/val.txt; written by
aligned_faces.py). Occluders: dark, tinted and clear glasses, surgical and cloth
masks, scarves, hands, fingers, hats, hair strands, objects and textures
(fcsr_mm/data/occluders.py), seeded by --seed; --clean-fraction of the
training faces stay clean. Labels: 0 clear, 1 occluder.
"""

from fcsr_mm.data.cli import converter_parser, run_converter
from fcsr_mm.data.io import default_workers
from fcsr_mm.data.occluder_converters import convert_occluded_faces


def parse_args(argv=None):
    p = converter_parser(__doc__, 'aligned faces folder')
    p.add_argument('--celebamask', help='CelebAMask-HQ folder (images/, '
                   'masks/): real eyeglasses and hats')
    p.add_argument('--celebamask-val', type=int, default=100,
                   help="CelebAMask-HQ faces held out as val_real (the "
                   "parsers' split)")
    p.add_argument('--clean-fraction', type=float, default=0.2)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--limit', type=int, help='faces per split')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    run_converter(convert_occluded_faces, args.root, args.out,
                  args.celebamask, args.celebamask_val, args.clean_fraction, args.seed,
                  default_workers(args.workers), overwrite=args.overwrite,
                  limit=args.limit)


if __name__ == '__main__':
    main()
