"""CelebAMask-HQ faces + 19-class masks -> 9-class face-parser data, or
(--faces) the aligned 128 px test faces of the cross-dataset benchmark.

    python tools/dataset_converters/celebamask_hq.py ../shared/data/celebamask_hq \
        --out data/celebamask_hq_parsing
    python tools/dataset_converters/celebamask_hq.py ../shared/data/celebamask_hq \
        --faces --out data/celebamask_hq_faces
ROOT holds images/<id>.jpg and masks/<id>.png. Deterministic split (sorted ids,
permuted with --seed): --num-val for val, --num-train for train. Faces are
aligned on the eye centres from the masks (the mouth stands in for an eye
hidden by sunglasses); the 19 -> 9 mapping is in fcsr_mm/data/face_labels.py.
"""

from fcsr_mm.data.cli import converter_parser, run_converter
from fcsr_mm.data.face_converters import convert_celebamask_hq_faces
from fcsr_mm.data.parser_converters import convert_celebamask_hq
from fcsr_mm.data.io import default_workers


def parse_args(argv=None):
    p = converter_parser(__doc__, 'CelebAMask-HQ folder')
    p.add_argument('--num-val', type=int, default=100)
    p.add_argument('--num-train', type=int, default=700)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--faces', action='store_true',
                   help='write every face, aligned, as a test face in the '
                   'restoration layout (images/, meta/test.txt)')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.faces:
        return run_converter(convert_celebamask_hq_faces, args.root,
                             args.out, default_workers(args.workers),
                             overwrite=args.overwrite)
    run_converter(convert_celebamask_hq, args.root, args.out, args.num_val,
                  args.num_train, args.seed, default_workers(args.workers),
                  overwrite=args.overwrite)


if __name__ == '__main__':
    main()
