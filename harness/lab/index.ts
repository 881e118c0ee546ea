export { DEFAULT_LAB_FILE, findLabEntry, LabError, loadLabMap, saveLabMap, UNASSIGNED, validateLabMap, type LabEntry, type LabMap } from './lab-map';
export { draftLabMap, scanLab, type ScanOptions, type ScannedProbe, type SerialPortListing } from './scan-lab';
