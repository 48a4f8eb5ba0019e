"""tools/restore_photo.py end to end on synthetic frames (Telea + bicubic,
a detector that knows the faces): outputs and JSON, a box, no face, one
unreadable photo among good ones, nothing replaced without --overwrite."""
import json
import os.path as osp

import cv2
import numpy as np
import pytest

from photo_frames import KnownFacesDetector, make_frame

TELEA = 'configs/baselines/telea_synthetic.py'
DETECTOR = "{'type': 'KnownFacesDetector'}"


@pytest.fixture()
def photos(synthetic_root, tmp_path):
    photo, detections = make_frame(synthetic_root)
    KnownFacesDetector.KNOWN = {photo.shape[:2]: detections}
    folder = tmp_path / 'photos'
    folder.mkdir()
    cv2.imwrite(str(folder / 'frame.png'), photo)
    # another size: the test detector finds no face there
    cv2.imwrite(str(folder / 'empty.png'), photo[:100, :120])
    return folder, detections


def run(tool, repo, *args):
    return tool('restore_photo.py').main(
        [osp.join(repo, TELEA), 'none', *map(str, args), '--detector',
         DETECTOR])


def test_photos_are_restored_and_described(tool, repo, photos, tmp_path):
    folder, detections = photos
    out = tmp_path / 'out'
    ex, ey = detections[0].landmarks[0]
    lines = run(tool, repo, folder, '--out-dir', out, '--box',
                f'{int(ex) - 4},{int(ey) - 4},8,8')
    assert lines == [f'{folder / "empty.png"}: no face found',
                     f'{folder / "frame.png"}: 2 faces']
    image = cv2.imread(str(out / 'frame_x4.png'))
    assert image.shape == (640, 800, 3)
    assert not (out / 'empty_x4.png').exists()  # only with --keep-empty
    record = json.loads((out / 'frame.json').read_text())
    assert [f['hidden_pixels_32px'] > 0 for f in record['faces']] == [
        True, False]
    assert [f['pasted'] for f in record['faces']] == ['face', 'face']
    assert 31 < record['faces'][0]['frame_side_px'] < 33
    assert np.allclose(record['faces'][1]['landmarks'],
                       detections[1].landmarks, atol=0.01)
    for i in range(2):
        assert cv2.imread(str(out / 'frame_faces' / f'{i}.png')).shape == (
            128, 128, 3)
    # nothing is replaced without --overwrite
    before = (out / 'frame.json').read_text()
    with pytest.raises(SystemExit, match='frame_x4.png already exists'):
        run(tool, repo, folder / 'frame.png', '--out-dir', out)
    assert (out / 'frame.json').read_text() == before
    run(tool, repo, folder / 'frame.png', '--out-dir', out, '--overwrite')
    assert json.loads((out / 'frame.json').read_text())['faces'][0][
        'hidden_pixels_32px'] == 0


def test_a_bad_photo_does_not_stop_the_others(tool, repo, photos, tmp_path):
    folder, _ = photos
    (folder / 'broken.png').write_bytes(b'not an image')
    out = tmp_path / 'out'
    with pytest.raises(SystemExit, match=r'1 of 3 photos failed:\n  .*'
                       r"broken.png.*empty or corrupt"):
        run(tool, repo, folder, '--out-dir', out, '--keep-empty')
    assert (out / 'frame_x4.png').exists() and (out / 'empty_x4.png').exists()
    with pytest.raises(SystemExit, match='--box .*x,y,w,h'):
        run(tool, repo, folder, '--out-dir', tmp_path / 'o2', '--box', '1,2')
    with pytest.raises(SystemExit, match='--mask is in one photo'):
        run(tool, repo, folder, '--out-dir', tmp_path / 'o3', '--mask',
            folder / 'frame.png')


def test_a_video_is_restored_frame_by_frame(tool, repo, photos, tmp_path):
    folder, _ = photos
    photo = cv2.imread(str(folder / 'frame.png'))
    clip = tmp_path / 'clip.mp4'
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*'mp4v'), 5,
                             photo.shape[1::-1])
    for _ in range(3):
        writer.write(photo)
    writer.release()
    out = tmp_path / 'out'
    (line, ) = run(tool, repo, clip, '--out-dir', out)
    assert line.endswith('3 frames, faces in 3')
    video = cv2.VideoCapture(str(out / 'clip_x4.mp4'))
    ok, first = video.read()
    assert ok and first.shape == (4 * photo.shape[0], 4 * photo.shape[1], 3)
    assert int(video.get(cv2.CAP_PROP_FRAME_COUNT)) == 3
    record = json.loads((out / 'clip.json').read_text())
    assert [len(f) for f in record['frames']] == [2, 2, 2]
    assert not list(out.glob('*.partial*'))


def test_huge_grey_and_rotated_photos(tool, repo, photos, tmp_path):
    from PIL import Image
    folder, _ = photos
    out = tmp_path / 'out'
    with pytest.raises(SystemExit, match=r'200x160 is larger than --max-side '
                       r'100 \(the 4x result would be 800x640\)'):
        run(tool, repo, folder / 'frame.png', '--out-dir', out,
            '--max-side', '100')
    grey = tmp_path / 'grey.png'
    cv2.imwrite(str(grey), cv2.cvtColor(cv2.imread(str(folder / 'frame.png')),
                                        cv2.COLOR_BGR2GRAY))
    (line, ) = run(tool, repo, grey, '--out-dir', out)
    assert line.endswith('2 faces')
    assert cv2.imread(str(out / 'grey_x4.png')).shape == (640, 800, 3)
    # a photo stored on its side with an EXIF orientation is read upright
    upright = cv2.imread(str(folder / 'frame.png'))
    side = Image.fromarray(np.rot90(upright[..., ::-1]).copy())
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to view
    side.save(tmp_path / 'side.jpg', exif=exif, quality=98)
    from fcsr_mm.data.io import read_image
    assert read_image(str(tmp_path / 'side.jpg')).shape == upright.shape


def test_without_a_model_the_shipped_one_is_used(tool, repo):
    from fcsr_mm.apis.shipped import RESTORER_CHECKPOINT, RESTORER_CONFIG
    parse = tool('restore_photo.py').parse_args
    args = parse(['frame.png', 'other.png'])
    assert args.inputs == ['frame.png', 'other.png']
    assert osp.samefile(args.config, osp.join(repo, RESTORER_CONFIG))
    assert osp.isfile(args.config) and args.checkpoint == RESTORER_CHECKPOINT
    args = parse([TELEA, 'none', 'frame.png', '--out-dir', 'o'])
    assert (args.config, args.checkpoint, args.inputs) == (TELEA, 'none',
                                                          ['frame.png'])
    with pytest.raises(SystemExit, match='give its checkpoint'):
        parse([TELEA, 'none'])
